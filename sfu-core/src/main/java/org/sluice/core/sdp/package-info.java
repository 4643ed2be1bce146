/**
 * SDP (RFC 8866) for WebRTC: an immutable model of session descriptions ({@link org.sluice.core.sdp.SessionDescription},
 * {@link org.sluice.core.sdp.MediaDescription} and one record per attribute we understand), a bounded parser for
 * hostile input ({@link org.sluice.core.sdp.SdpParser}), a generator writing CRLF lines in RFC order
 * ({@link org.sluice.core.sdp.SdpWriter}), and trickle-ICE fragments (RFC 8840,
 * {@link org.sluice.core.sdp.TrickleFragment}). Lines and attributes the model does not understand are kept verbatim
 * and written back. Offer/answer lives in {@code org.sluice.core.sdp.negotiation}.
 */
package org.sluice.core.sdp;
