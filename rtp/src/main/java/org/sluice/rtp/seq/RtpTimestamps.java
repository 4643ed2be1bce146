package org.sluice.rtp.seq;

/**
 * Arithmetic on 32-bit RTP timestamps with wrap-around, the counterpart of {@link SequenceNumbers}.
 * Values are carried in {@code long}s; only the low 32 bits are used.
 */
public final class RtpTimestamps {

    private RtpTimestamps() {
    }

    /** Whether {@code a} is later than {@code b}; at exactly half the space the larger raw value wins. */
    public static boolean isNewer(long a, long b) {
        long delta = (a - b) & 0xFFFFFFFFL;
        if (delta == 0x80000000L) {
            return (a & 0xFFFFFFFFL) > (b & 0xFFFFFFFFL);
        }
        return delta != 0 && delta < 0x80000000L;
    }

    /** The signed distance from {@code b} to {@code a}, in -2^31..2^31-1. */
    public static long diff(long a, long b) {
        return (int) (a - b);
    }

    /** {@code ts + delta} modulo 2^32. */
    public static long add(long ts, long delta) {
        return (ts + delta) & 0xFFFFFFFFL;
    }
}
