package org.sluice.bandwidth.sim;

import java.util.Arrays;

/** What the simulation measured: per-flow delivered bytes and target per 100 ms bucket, queuing delays. */
final class Stats {
    static final long BUCKET_NANOS = 100_000_000L;

    private final long[][] deliveredBytes;
    private final long[][] targetBps;
    private long[] queueDelayTimes = new long[1 << 16];
    private long[] queueDelays = new long[1 << 16];
    private int queueSamples;
    long randomLoss;
    long queueDrops;

    Stats(int flows, long durationNanos) {
        int buckets = (int) (durationNanos / BUCKET_NANOS) + 1;
        deliveredBytes = new long[flows][buckets];
        targetBps = new long[flows][buckets];
    }

    void onQueued(SimPacket p, long nowNanos, long queueDelayNanos) {
        if (queueSamples == queueDelays.length) {
            queueDelays = Arrays.copyOf(queueDelays, queueSamples * 2);
            queueDelayTimes = Arrays.copyOf(queueDelayTimes, queueSamples * 2);
        }
        queueDelayTimes[queueSamples] = nowNanos;
        queueDelays[queueSamples++] = queueDelayNanos;
    }

    void onDelivered(SimPacket p) {
        int b = (int) (p.arrivalNanos / BUCKET_NANOS);
        if (b < deliveredBytes[p.flow].length) {
            deliveredBytes[p.flow][b] += p.size;
        }
    }

    void onTarget(int flow, long nowNanos, long bps) {
        int b = (int) (nowNanos / BUCKET_NANOS);
        if (b < targetBps[flow].length) {
            targetBps[flow][b] = bps;
        }
    }

    /** Target of {@code flow} sampled at {@code atNanos} (bucket start). */
    long targetAt(int flow, long atNanos) {
        return targetBps[flow][(int) (atNanos / BUCKET_NANOS)];
    }

    /** First time in [from, to) at which the flow's target satisfies the test, or -1. */
    long firstTime(int flow, long fromNanos, long toNanos, java.util.function.LongPredicate test) {
        for (long t = fromNanos; t < toNanos; t += BUCKET_NANOS) {
            if (test.test(targetAt(flow, t))) {
                return t;
            }
        }
        return -1;
    }

    /** Lowest target of the flow over [from, to). */
    long minTarget(int flow, long fromNanos, long toNanos) {
        long min = Long.MAX_VALUE;
        for (long t = fromNanos; t < toNanos; t += BUCKET_NANOS) {
            min = Math.min(min, targetAt(flow, t));
        }
        return min;
    }

    /** Mean target over [from, to). */
    double meanTarget(int flow, long fromNanos, long toNanos) {
        double sum = 0;
        int n = 0;
        for (long t = fromNanos; t < toNanos; t += BUCKET_NANOS) {
            sum += targetAt(flow, t);
            n++;
        }
        return sum / n;
    }

    /** Delivered rate of the flow over [from, to), bps. */
    double throughputBps(int flow, long fromNanos, long toNanos) {
        long bytes = 0;
        for (int b = (int) (fromNanos / BUCKET_NANOS); b < toNanos / BUCKET_NANOS; b++) {
            bytes += deliveredBytes[flow][b];
        }
        return bytes * 8e9 / (toNanos - fromNanos);
    }

    /** Queuing delay percentile over packets enqueued in [from, to), ns. */
    long queueDelayPercentile(double p, long fromNanos, long toNanos) {
        long[] v = new long[queueSamples];
        int n = 0;
        for (int i = 0; i < queueSamples; i++) {
            if (queueDelayTimes[i] >= fromNanos && queueDelayTimes[i] < toNanos) {
                v[n++] = queueDelays[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(v, 0, n);
        return v[Math.min(n - 1, (int) Math.ceil(p * n) - 1)];
    }
}
