package org.sluice.rtp.nack;

/**
 * Smoothed round-trip time from individual samples, the way TCP smooths its SRTT (RFC 6298 §2):
 * an exponentially weighted moving average giving each new sample a weight of 1/8.
 *
 * <p>Samples may come from RTCP report blocks ({@link org.sluice.rtp.rtcp.RoundTripTime}), XR DLRR
 * blocks, or NACK-to-retransmission delays ({@link NackGenerator#onPacket}). Samples of 0 or less
 * mean "unknown" and are ignored; the others are clamped to [{@link #MIN_RTT_NANOS},
 * {@link #MAX_RTT_NANOS}] before they are averaged, so one absurd sample (a peer with a broken
 * clock) cannot push the estimate out of that range. Single-threaded, allocation-free.
 */
public final class RttFilter {

    /** Smallest round-trip time reported: 1 ms. */
    public static final long MIN_RTT_NANOS = 1_000_000L;
    /** Largest round-trip time reported: 10 s. */
    public static final long MAX_RTT_NANOS = 10_000_000_000L;

    private long srtt = -1;
    private long lastSampleNanos;
    private long samples;

    /** Adds one round-trip sample measured at {@code nowNanos}; samples of 0 or less are ignored. */
    public void add(long rttNanos, long nowNanos) {
        if (rttNanos <= 0) {
            return;
        }
        long sample = Math.min(Math.max(rttNanos, MIN_RTT_NANOS), MAX_RTT_NANOS);
        srtt = srtt < 0 ? sample : srtt + (sample - srtt) / 8;
        lastSampleNanos = nowNanos;
        samples++;
    }

    /** The smoothed round-trip time in nanoseconds, or -1 before the first sample. */
    public long rttNanos() {
        return srtt;
    }

    /** When the last accepted sample was added, or 0 when none was. */
    public long lastSampleNanos() {
        return lastSampleNanos;
    }

    /** Samples accepted so far. */
    public long samples() {
        return samples;
    }

    /** Forgets every sample. */
    public void reset() {
        srtt = -1;
        lastSampleNanos = 0;
        samples = 0;
    }
}
