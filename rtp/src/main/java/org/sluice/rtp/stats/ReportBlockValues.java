package org.sluice.rtp.stats;

/**
 * The receiver-side figures of one RTCP report block (RFC 3550 §6.4.1), filled by
 * {@link ReceiverStatistics#fillReportBlock(ReportBlockValues)}. A mutable holder meant to be
 * allocated once and reused.
 */
public final class ReportBlockValues {

    /** Fraction of packets lost since the previous report, 8-bit fixed point (0..255). */
    public int fractionLost;
    /** Cumulative packets lost, clamped to a signed 24-bit value. */
    public int cumulativeLost;
    /** Extended highest sequence number received (cycles in the high 16 bits), unsigned 32-bit. */
    public long extendedHighestSequence;
    /** Interarrival jitter in RTP timestamp units, unsigned 32-bit. */
    public long jitter;

    @Override
    public String toString() {
        return "ReportBlockValues{fractionLost=" + fractionLost + ", cumulativeLost=" + cumulativeLost
                + ", extendedHighestSequence=" + extendedHighestSequence + ", jitter=" + jitter + '}';
    }
}
