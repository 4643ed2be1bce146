/**
 * SDP offer/answer for a WebRTC SFU (the answerer subset of JSEP, RFC 8829, over BUNDLE): {@link
 * org.sluice.core.sdp.negotiation.SdpNegotiator} turns a browser's offer and the server's
 * {@link org.sluice.core.sdp.negotiation.LocalCapabilities} into an answer and a
 * {@link org.sluice.core.sdp.negotiation.NegotiatedSession} summary (codecs with payload types and RTX, header
 * extension ids, SSRCs, RIDs and simulcast, ICE credentials, DTLS role). Codec matching rules (H.264 profiles per
 * RFC 6184, VP9 and AV1 profiles) live in {@link org.sluice.core.sdp.negotiation.CodecMatcher} and
 * {@link org.sluice.core.sdp.negotiation.H264ProfileLevelId}.
 */
package org.sluice.core.sdp.negotiation;
