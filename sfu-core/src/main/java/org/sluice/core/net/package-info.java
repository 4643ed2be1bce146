/**
 * Media sockets: the shared UDP port (one socket per event loop with SO_REUSEPORT on epoll,
 * recvmmsg reads, sendmmsg writes: each loop's own batch through the C library on Java 22+,
 * {@link org.sluice.core.net.SendmmsgBatch}, which sends a run of datagrams to one peer as one segmented
 * message (UDP GSO), else Netty's outbound buffer with recycled envelopes),
 * the passive ICE-TCP port with RFC 4571 framing, and RFC 7983 demultiplexing classes. Nothing
 * here knows about ICE, DTLS or RTP beyond the first byte.
 */
package org.sluice.core.net;
