package org.sluice.rtp.rtcp;

/**
 * Round-trip time from the timestamps echoed in RTCP (RFC 3550 §6.4.1): a sender puts the middle 32
 * bits of its NTP clock into an SR (or an XR RRTR block, RFC 3611 §4.4), the peer echoes them as
 * LSR (or LRR in a DLRR block, §4.5) together with the delay DLSR (DLRR) it held them, and when the
 * echo comes back at time A the round trip is {@code A - LSR - DLSR}. All three are "compact NTP"
 * values: 16.16 fixed-point seconds, so units of 1/65536 s, that wrap every 18.2 hours.
 */
public final class RoundTripTime {

    /** Compact NTP units (1/65536 s) per second. */
    public static final long UNITS_PER_SECOND = 65_536L;
    /**
     * How far below zero {@code A - LSR - DLSR} may come out and still count as a round trip of 0:
     * the peer rounds its delay to a unit, and clocks tick unevenly (about 1 ms).
     */
    public static final long NEGATIVE_TOLERANCE_UNITS = 66;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RoundTripTime() {
    }

    /**
     * The round-trip time in nanoseconds from a report block (or DLRR sub-block) received when the
     * local NTP clock read {@code nowNtpMiddle32}.
     *
     * @param nowNtpMiddle32   the middle 32 bits of the local NTP time now ({@link #ntpMiddle32})
     * @param lastSr           the block's LSR (LRR): 0 means the peer has not received our report yet
     * @param delaySinceLastSr the block's DLSR (DLRR) in 1/65536 s
     * @return the round-trip time in nanoseconds, or -1 when {@code lastSr} is 0 or the result is
     *         negative beyond {@link #NEGATIVE_TOLERANCE_UNITS} (a wrong echo, or clocks confused);
     *         32-bit wrap is handled by taking the difference modulo 2^32 as a signed value
     */
    public static long fromReportBlock(long nowNtpMiddle32, long lastSr, long delaySinceLastSr) {
        if ((lastSr & 0xFFFF_FFFFL) == 0) {
            return -1;
        }
        int units = (int) (nowNtpMiddle32 - lastSr - delaySinceLastSr);
        if (units < 0) {
            return units >= -NEGATIVE_TOLERANCE_UNITS ? 0 : -1;
        }
        return compactNtpToNanos(units);
    }

    /** The middle 32 bits of a 64-bit NTP timestamp (low 16 bits of seconds, high 16 of fraction). */
    public static long ntpMiddle32(long ntp64) {
        return (ntp64 >>> 16) & 0xFFFF_FFFFL;
    }

    /** Nanoseconds of a non-negative compact NTP duration (1/65536 s units). */
    public static long compactNtpToNanos(long units) {
        return units * NANOS_PER_SECOND / UNITS_PER_SECOND;
    }

    /**
     * A non-negative duration in nanoseconds as compact NTP units, rounded to nearest and saturated
     * at 2^32 - 1: what to send as DLSR or DLRR.
     */
    public static long nanosToCompactNtp(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        // nanos * 65536 overflows past ~1.4e14 ns (39 hours), long past the 32-bit range anyway
        if (nanos >= 65_537L * NANOS_PER_SECOND) {
            return 0xFFFF_FFFFL;
        }
        long units = (nanos * UNITS_PER_SECOND + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        return Math.min(units, 0xFFFF_FFFFL);
    }
}
