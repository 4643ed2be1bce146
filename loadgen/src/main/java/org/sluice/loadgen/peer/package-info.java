/**
 * A WebRTC client without a browser, built from Sluice's own stack: the SDP offer, WHIP/WHEP over
 * HTTP or the conferencing WebSocket ({@code /ws}, with a small bounded JSON reader),
 * a controlling ICE agent that nominates the server's host candidate with Binding requests
 * (USE-CANDIDATE, short-term credentials from the SDP) and keeps consent fresh, a DTLS client
 * ({@link org.sluice.core.dtls.DtlsEndpoint}) and SRTP from {@code org.sluice.rtp.srtp}, over Netty
 * epoll UDP sockets on loopback (recvmmsg reads, sendmmsg when several datagrams are flushed together).
 *
 * <p>Threads: every {@link org.sluice.loadgen.peer.ClientPeer} belongs to one event loop, which does all
 * its socket I/O, STUN, SRTP and checks; DTLS handshakes run on a shared executor and hand their
 * results back to the loop.
 */
package org.sluice.loadgen.peer;
