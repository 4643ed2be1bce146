package org.sluice.bandwidth.gcc;

/**
 * Configuration of a {@link GoogCcEstimator}: start, minimum and maximum bitrate in bits per
 * second. {@link #DEFAULT} is 300 kbit/s start, 30 kbit/s minimum, 10 Mbit/s maximum.
 *
 * @param startBps estimate before any feedback, clamped into {@code [minBps, maxBps]}
 * @param minBps   the estimate never goes below this (at least 1)
 * @param maxBps   the estimate never goes above this (at least {@code minBps})
 */
public record GccSettings(long startBps, long minBps, long maxBps) {
    /** 300 kbit/s start, 30 kbit/s minimum, 10 Mbit/s maximum. */
    public static final GccSettings DEFAULT = new GccSettings(300_000, 30_000, 10_000_000);

    /** Rejects a non-positive minimum or a maximum below the minimum; clamps the start rate. */
    public GccSettings {
        if (minBps < 1 || maxBps < minBps) {
            throw new IllegalArgumentException("need 1 <= minBps <= maxBps: " + minBps + ", " + maxBps);
        }
        startBps = Math.max(minBps, Math.min(maxBps, startBps));
    }
}
