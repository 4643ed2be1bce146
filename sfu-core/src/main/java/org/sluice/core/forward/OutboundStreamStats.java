package org.sluice.core.forward;

/**
 * One stream we send a receiver, as operators see it: what went out and what the receiver's RTCP receiver reports
 * say of it. Read racily from counters the receiver's loop keeps; immutable.
 *
 * @param ssrc               our SSRC toward the receiver
 * @param kind               audio or video
 * @param packetsSent        RTP packets forwarded
 * @param packetsResent      packets resent after the receiver's NACKs
 * @param framesDropped      frames left out by the layer limits
 * @param fractionLost       the loss the receiver last reported, 0..1
 * @param cumulativeLost     the receiver's cumulative number of packets lost (RFC 3550; may be negative)
 * @param jitter             the interarrival jitter it last reported, in RTP timestamp units
 * @param jitterMillis       the same in milliseconds, -1 before anything was sent
 * @param rttMillis          the round trip from its reports (RFC 3550 LSR/DLSR), -1 before one
 * @param pausedForBandwidth whether the receiver's allocator holds the stream (not even its lowest layer fits)
 */
public record OutboundStreamStats(long ssrc, MediaKind kind, long packetsSent, long packetsResent, long framesDropped,
                                  double fractionLost, int cumulativeLost, long jitter, double jitterMillis,
                                  double rttMillis, boolean pausedForBandwidth) {

    /** The figures of {@code stream} now. */
    public static OutboundStreamStats of(OutboundStream stream) {
        return new OutboundStreamStats(stream.ssrc(), stream.slot().kind(), stream.packetsSent(),
                stream.packetsResent(), stream.framesDroppedByLayer(), stream.reportedFractionLost() / 256.0,
                stream.reportedCumulativeLost(), stream.reportedJitter(), stream.reportedJitterMillis(),
                stream.roundTripMeasured() ? stream.roundTripNanos() / 1e6 : -1, stream.isPausedForBandwidth());
    }
}
