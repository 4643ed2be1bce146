/**
 * Media sockets: the shared UDP port (one socket per event loop with SO_REUSEPORT on epoll,
 * recvmmsg/sendmmsg batching), the passive ICE-TCP port with RFC 4571 framing, RFC 7983
 * demultiplexing classes, and recycled outbound envelopes. Nothing here knows about ICE, DTLS
 * or RTP beyond the first byte.
 */
package org.sluice.core.net;
