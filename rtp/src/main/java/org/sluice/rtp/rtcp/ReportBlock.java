package org.sluice.rtp.rtcp;

/**
 * One reception report block (RFC 3550 §6.4.1), the input of the SR/RR writers. Built on the
 * control path (once per report interval), so a value object is fine here; parsing reads fields
 * straight from the buffer through the views.
 *
 * @param ssrc                    the source this block reports on (unsigned 32-bit)
 * @param fractionLost            fraction lost since the last report, 0..255 (x/256)
 * @param cumulativeLost          cumulative packets lost, clamped to signed 24-bit on write
 * @param extendedHighestSequence extended highest sequence number received (unsigned 32-bit)
 * @param jitter                  interarrival jitter in timestamp units (unsigned 32-bit)
 * @param lastSr                  middle 32 bits of the NTP timestamp of the last SR (LSR)
 * @param delaySinceLastSr        delay since the last SR in 1/65536 s (DLSR)
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSr, long delaySinceLastSr) {
    /** Validates the ranges. */
    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fractionLost out of 0..255: " + fractionLost);
        }
    }
}
