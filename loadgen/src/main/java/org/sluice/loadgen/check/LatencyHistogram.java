package org.sluice.loadgen.check;

/**
 * Log-linear histogram of non-negative values (microseconds here): exact below 128, then 64 buckets
 * per power of two (at most 1.6% relative error) up to 2^46. No allocation when recording. Not
 * thread-safe; {@link #add} merges another.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 128;
    private static final int PER_OCTAVE = 64;
    private static final int MAX_SHIFT = 40;
    private static final int BUCKETS = LINEAR + MAX_SHIFT * PER_OCTAVE;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The value at {@code quantile} (0..1): the lower bound of the bucket holding it; 0 when empty. */
    public long valueAt(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(Math.min(1.0, Math.max(0.0, quantile)) * total);
        rank = Math.max(1, rank);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(lowerBound(i), max);
            }
        }
        return max;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 6;
        if (shift > MAX_SHIFT) {
            return BUCKETS - 1;
        }
        int top = (int) (v >>> shift);
        return LINEAR + (shift - 1) * PER_OCTAVE + (top - PER_OCTAVE);
    }

    static long lowerBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / PER_OCTAVE + 1;
        int top = (index - LINEAR) % PER_OCTAVE + PER_OCTAVE;
        return (long) top << shift;
    }
}
