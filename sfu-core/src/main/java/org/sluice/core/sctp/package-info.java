/**
 * SCTP (RFC 9260) in userland for WebRTC data channels (RFC 8831), carried as DTLS application
 * data (RFC 8261).
 *
 * <ul>
 *   <li>{@link org.sluice.core.sctp.SctpAssociation}: the association's state machine (handshake
 *       with an HMAC-signed cookie, DATA, SACK, RTO, congestion control, FORWARD-TSN, stream
 *       reset, HEARTBEAT, ABORT, SHUTDOWN), driven by its owner's packets, sends and timer calls
 *       on one thread, with an injected clock.</li>
 *   <li>Package-private wire format: {@code SctpPacketView} and {@code ChunkReader} (bounds-checked
 *       views with the CRC32c check), {@code PacketBuilder}, {@code StateCookie}, and
 *       {@code InboundData} (TSN tracking, reassembly, ordered delivery).</li>
 * </ul>
 * Not supported: multi-homing (one DTLS path), I-DATA (RFC 8260), association restart (a COOKIE ECHO
 * with new tags is dropped and counted), ECN, and the optional ERROR reports of unknown chunks.
 */
package org.sluice.core.sctp;
