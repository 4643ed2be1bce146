/**
 * What every peer leg has, whether a WHIP publisher, a WHEP viewer or a conference participant: the offer policy
 * that turns an SDP offer into an answer and the engine's {@link org.sluice.core.peer.MediaSection}s
 * ({@link org.sluice.core.peer.OfferNegotiator}), learning the RTP streams a peer sends with their statistics and
 * receiver reports ({@link org.sluice.core.peer.InboundStreams}), and RTCP termination per leg
 * ({@link org.sluice.core.peer.RtcpLeg}, {@link org.sluice.core.peer.NtpTime}).
 */
package org.sluice.core.peer;
