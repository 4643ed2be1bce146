/**
 * Test support: a simulated WebRTC peer ({@link org.sluice.core.testing.SimulatedPeer}) built from the
 * project's own ICE, DTLS, SDP and SRTP pieces, with Chromium-shaped offers
 * ({@link org.sluice.core.testing.PeerOffer}), the facts a peer needs from an answer
 * ({@link org.sluice.core.testing.PeerAnswer}), outgoing RTP tracks ({@link org.sluice.core.testing.RtpTrack})
 * VP8/Opus payloads ({@link org.sluice.core.testing.Payloads}) and bounded polling waits
 * ({@link org.sluice.core.testing.Waits}). Drives engine tests over loopback and
 * is meant to grow into a load generator.
 */
package org.sluice.core.testing;
