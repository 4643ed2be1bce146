package org.sluice.core.peer;

import org.sluice.rtp.rtcp.NackView;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

/**
 * What a leg does with the RTCP its peer sends, one callback per kind; {@link RtcpLeg#read} makes one
 * pass over a compound packet and calls these. Every method defaults to ignoring its kind. Views are
 * valid only during the call. On the leg's loop.
 */
public interface RtcpHandler {

    /** A sender report about the peer's stream {@code ssrc}. */
    default void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
    }

    /**
     * A report block (from an SR or RR) about our stream {@code ssrc}: loss, jitter, and the round trip
     * measured from our last SR ({@code roundTripNanos}, -1 when the block cannot give one).
     */
    default void onReportBlock(long ssrc, int fractionLost, int cumulativeLost, long jitter, long roundTripNanos) {
    }

    /** A PLI or a FIR entry asking for a keyframe of our stream {@code mediaSsrc}. */
    default void onKeyframeRequest(long mediaSsrc) {
    }

    /** A generic NACK for our stream {@code mediaSsrc}. */
    default void onNack(long mediaSsrc, NackView nack) {
    }

    /** transport-cc feedback about the packets we sent. */
    default void onTransportFeedback(TransportFeedbackView feedback) {
    }

    /** A REMB estimate of what the peer can receive. */
    default void onRemb(long bitrateBps) {
    }

    /**
     * An XR DLRR sub-block (RFC 3611 §4.5) answering the RRTR that {@code ssrc} (one of ours) sent: the round trip
     * it gives, now − LRR − DLRR, or -1 when it gives none.
     */
    default void onDelaySinceLastReceiverReport(long ssrc, long roundTripNanos) {
    }
}
