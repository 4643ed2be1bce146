package org.sluice.rtp.frame;

/**
 * Frame rate and bitrate per layer (spatial 0..3 × temporal 0..3) over a sliding window, and the
 * stream's frame delay variation. Allocation-free; single-threaded.
 *
 * <p><b>Rates.</b> Time is cut into buckets ({@code windowNanos / buckets} long); a rate is the sum
 * over the last {@code buckets} whole buckets before the one {@code nowNanos} falls in, divided by
 * the window: exact for steady streams, at most one bucket late. Frames are counted by
 * {@link #recordFrame}; bytes by {@link #recordBytes}, either once per completed frame (as the
 * {@link FrameListener} implementation does) or once per packet by a caller that wants bytes
 * that never make a complete frame counted as well (then feed frames through {@link #recordFrame}
 * directly). Layer ids outside 0..3 are ignored.
 *
 * <p><b>Cumulative rates</b> are those of a decode target: {@link #cumulativeFramesPerSecond}
 * counts spatial layer {@code s} frames with temporal id up to {@code t} (a 30 fps L1T3 stream gives
 * 7.5, 15 and 30 fps); {@link #cumulativeBitsPerSecond} adds every layer up to ({@code s}, {@code t}).
 *
 * <p><b>Frame delay variation</b> (RFC 3550 §6.4.1 applied to frames): for each recorded frame whose
 * RTP timestamp is newer than every earlier one, D = (arrival delta) − (RTP timestamp delta at
 * 90 kHz) against the previous such frame, and J += (|D| − J) / 16; reported in milliseconds.
 */
public final class LayerStatistics implements FrameListener {

    /** Spatial and temporal layers tracked (ids 0..3). */
    public static final int LAYERS = 4;
    private static final int CLOCK_RATE = 90_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long windowNanos;
    private final long bucketNanos;
    private final int buckets;
    private final int ring;
    private final long[] bucketEpoch;
    /** [bucket * 16 + s * 4 + t]. */
    private final int[] frames;
    private final long[] bytes;

    private boolean haveLast;
    private long lastTimestamp;
    private long lastArrival;
    private double jitterNanos;

    /** A 1 s window in 10 buckets of 100 ms. */
    public LayerStatistics() {
        this(NANOS_PER_SECOND, 10);
    }

    public LayerStatistics(long windowNanos, int buckets) {
        if (buckets < 1 || windowNanos < buckets) {
            throw new IllegalArgumentException("need at least one bucket of at least 1 ns");
        }
        this.buckets = buckets;
        this.bucketNanos = windowNanos / buckets;
        this.windowNanos = bucketNanos * buckets;
        this.ring = buckets + 1;
        this.bucketEpoch = new long[ring];
        java.util.Arrays.fill(bucketEpoch, Long.MIN_VALUE);
        this.frames = new int[ring * LAYERS * LAYERS];
        this.bytes = new long[ring * LAYERS * LAYERS];
    }

    /** Records a completed frame (timestamp for the delay variation; rates by layer). */
    public void recordFrame(int spatialId, int temporalId, long rtpTimestamp, long nowNanos) {
        updateDelayVariation(rtpTimestamp & 0xFFFFFFFFL, nowNanos);
        if (valid(spatialId, temporalId)) {
            frames[bucket(nowNanos) * LAYERS * LAYERS + spatialId * LAYERS + temporalId]++;
        }
    }

    /** Records payload bytes of a layer (a packet's, or a whole frame's). */
    public void recordBytes(int spatialId, int temporalId, int payloadBytes, long nowNanos) {
        if (valid(spatialId, temporalId) && payloadBytes > 0) {
            bytes[bucket(nowNanos) * LAYERS * LAYERS + spatialId * LAYERS + temporalId] += payloadBytes;
        }
    }

    /** Records the frame and its bytes. */
    @Override
    public void onFrameComplete(long rtpTimestamp, int spatialId, int temporalId, boolean keyframe,
                                boolean decodable, int packets, int frameBytes, long nowNanos) {
        recordFrame(spatialId, temporalId, rtpTimestamp, nowNanos);
        recordBytes(spatialId, temporalId, frameBytes, nowNanos);
    }

    /** Frames per second of exactly layer ({@code s}, {@code t}). */
    public double framesPerSecond(int s, int t, long nowNanos) {
        return valid(s, t) ? sumFrames(s, s, t, t, nowNanos) * (double) NANOS_PER_SECOND / windowNanos : 0;
    }

    /** Bits per second of exactly layer ({@code s}, {@code t}). */
    public long bitsPerSecond(int s, int t, long nowNanos) {
        return valid(s, t) ? toBitsPerSecond(sumBytes(s, t, nowNanos, true)) : 0;
    }

    /** Frames per second of spatial layer {@code s} with temporal ids 0..{@code t}. */
    public double cumulativeFramesPerSecond(int s, int t, long nowNanos) {
        return valid(s, t) ? sumFrames(s, s, 0, t, nowNanos) * (double) NANOS_PER_SECOND / windowNanos : 0;
    }

    /** Bits per second of every layer (s', t') with s' ≤ {@code s} and t' ≤ {@code t}. */
    public long cumulativeBitsPerSecond(int s, int t, long nowNanos) {
        return valid(s, t) ? toBitsPerSecond(sumBytes(s, t, nowNanos, false)) : 0;
    }

    /** Bits per second of all layers. */
    public long totalBitsPerSecond(long nowNanos) {
        return cumulativeBitsPerSecond(LAYERS - 1, LAYERS - 1, nowNanos);
    }

    /** Smoothed frame delay variation in milliseconds (0 before two frames). */
    public double frameDelayVariationMillis() {
        return jitterNanos / 1_000_000.0;
    }

    private long toBitsPerSecond(long byteCount) {
        long bits = byteCount * 8;
        if (bits <= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return bits * NANOS_PER_SECOND / windowNanos;
        }
        return (long) (bits * (double) NANOS_PER_SECOND / windowNanos);
    }

    private long sumFrames(int s0, int s1, int t0, int t1, long nowNanos) {
        long current = Math.floorDiv(nowNanos, bucketNanos);
        long sum = 0;
        for (int b = 0; b < ring; b++) {
            long epoch = bucketEpoch[b];
            if (epoch < current && epoch >= current - buckets) {
                for (int s = s0; s <= s1; s++) {
                    for (int t = t0; t <= t1; t++) {
                        sum += frames[b * LAYERS * LAYERS + s * LAYERS + t];
                    }
                }
            }
        }
        return sum;
    }

    private long sumBytes(int s1, int t1, long nowNanos, boolean exact) {
        long current = Math.floorDiv(nowNanos, bucketNanos);
        long sum = 0;
        for (int b = 0; b < ring; b++) {
            long epoch = bucketEpoch[b];
            if (epoch < current && epoch >= current - buckets) {
                for (int s = exact ? s1 : 0; s <= s1; s++) {
                    for (int t = exact ? t1 : 0; t <= t1; t++) {
                        sum += bytes[b * LAYERS * LAYERS + s * LAYERS + t];
                    }
                }
            }
        }
        return sum;
    }

    /** The ring index for {@code nowNanos}, clearing the bucket when it is reused. */
    private int bucket(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        int b = (int) Math.floorMod(epoch, (long) ring);
        if (bucketEpoch[b] != epoch) {
            bucketEpoch[b] = epoch;
            int base = b * LAYERS * LAYERS;
            for (int i = 0; i < LAYERS * LAYERS; i++) {
                frames[base + i] = 0;
                bytes[base + i] = 0;
            }
        }
        return b;
    }

    private void updateDelayVariation(long ts, long nowNanos) {
        if (!haveLast) {
            haveLast = true;
            lastTimestamp = ts;
            lastArrival = nowNanos;
            return;
        }
        int tsDelta = (int) (ts - lastTimestamp);
        if (tsDelta <= 0) {
            return; // same picture (another layer) or reordered
        }
        long arrivalDelta = nowNanos - lastArrival;
        long mediaDelta = tsDelta * NANOS_PER_SECOND / CLOCK_RATE;
        double d = Math.abs((double) (arrivalDelta - mediaDelta));
        jitterNanos += (d - jitterNanos) / 16.0;
        lastTimestamp = ts;
        lastArrival = nowNanos;
    }

    private static boolean valid(int s, int t) {
        return s >= 0 && s < LAYERS && t >= 0 && t < LAYERS;
    }
}
