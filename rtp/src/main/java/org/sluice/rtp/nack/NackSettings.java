package org.sluice.rtp.nack;

/**
 * Tuning of a {@link NackGenerator}.
 *
 * @param maxTries              NACKs sent for one sequence number before giving up on it (at least 1)
 * @param maxAgeNanos           how long after a sequence number was first seen missing it is given up
 *                              (positive)
 * @param maxMissing            most sequence numbers tracked at once, and the largest forward jump
 *                              still treated as loss rather than a stream restart (1..32767)
 * @param reorderHoldNanos      delay between first seeing a gap and NACKing it, so that packets merely
 *                              reordered on the path are not requested (0 or more)
 * @param minRetryIntervalNanos smallest spacing between two NACKs of one sequence number, whatever
 *                              the round-trip time says (0 or more)
 */
public record NackSettings(int maxTries, long maxAgeNanos, int maxMissing, long reorderHoldNanos,
                           long minRetryIntervalNanos) {

    /** Largest {@link #maxMissing}: beyond half the sequence space, old and new are ambiguous. */
    public static final int MAX_MISSING_LIMIT = 0x7FFF;

    /** Validates the values. */
    public NackSettings {
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1: " + maxTries);
        }
        if (maxAgeNanos <= 0) {
            throw new IllegalArgumentException("maxAgeNanos must be positive: " + maxAgeNanos);
        }
        if (maxMissing < 1 || maxMissing > MAX_MISSING_LIMIT) {
            throw new IllegalArgumentException("maxMissing must be 1.." + MAX_MISSING_LIMIT + ": " + maxMissing);
        }
        if (reorderHoldNanos < 0) {
            throw new IllegalArgumentException("reorderHoldNanos must not be negative: " + reorderHoldNanos);
        }
        if (minRetryIntervalNanos < 0) {
            throw new IllegalArgumentException("minRetryIntervalNanos must not be negative: "
                    + minRetryIntervalNanos);
        }
    }

    /** 10 tries, 1 s maximum age, 1000 missing, 5 ms reorder hold, 20 ms between retries at least. */
    public static NackSettings defaults() {
        return new NackSettings(10, 1_000_000_000L, 1000, 5_000_000L, 20_000_000L);
    }
}
