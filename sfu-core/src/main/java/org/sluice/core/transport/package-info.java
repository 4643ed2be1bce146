/**
 * One peer's ICE-lite/DTLS-SRTP transport ({@link org.sluice.core.transport.MediaTransport}) on a media loop, how
 * transports are made ({@link org.sluice.core.transport.TransportFactory}) and found by ufrag and remote address
 * ({@link org.sluice.core.transport.TransportDirectory}), and what a session implements to receive its decrypted
 * RTP and RTCP ({@link org.sluice.core.transport.TransportHandler}), and the send-side congestion control of a
 * receiver's transport: transport-wide sequence numbers, the GCC estimate, the pacer and probes
 * ({@link org.sluice.core.transport.CongestionController}).
 */
package org.sluice.core.transport;
