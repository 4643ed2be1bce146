package org.sluice.bandwidth.gcc;

/**
 * Compares the modified delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and
 * §5.5). Over-use is signalled when the trend has stayed above the threshold for more than {@link
 * #OVERUSE_TIME_MS} over at least two groups and is not decreasing; under-use when it is below
 * minus the threshold; normal otherwise.
 *
 * <p>The threshold follows {@code |m|}: {@code th += k * (|m| - th) * dt} with {@code dt} the
 * milliseconds since the last update (at most 100), clamped to 6..600 ms, skipped when {@code |m|}
 * exceeds it by more than 15 ms. This project uses the draft's gains, {@link #K_UP} = 0.01 and
 * {@link #K_DOWN} = 0.00018, not libwebrtc's (0.0087 up, 0.039 down): the threshold rises quickly
 * towards large trends (so that loss-based flows sharing the path do not starve this one) and
 * sinks slowly back.
 */
public final class OveruseDetector {
    /** Gain while {@code |m|} is above the threshold (draft value). */
    public static final double K_UP = 0.01;
    /** Gain while {@code |m|} is below the threshold (draft value). */
    public static final double K_DOWN = 0.00018;
    /** Initial threshold in ms. */
    public static final double INITIAL_THRESHOLD_MS = 12.5;
    /** Lowest threshold. */
    public static final double MIN_THRESHOLD_MS = 6;
    /** Highest threshold. */
    public static final double MAX_THRESHOLD_MS = 600;
    /** Time the trend must stay above the threshold before over-use is signalled. */
    public static final double OVERUSE_TIME_MS = 10;
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_TIME_DELTA_MS = 100;

    private double threshold = INITIAL_THRESHOLD_MS;
    private double timeOverUsing = -1;
    private int overuseCounter;
    private double prevTrend;
    private double lastUpdateMs = Double.NaN;
    private BandwidthUsage hypothesis = BandwidthUsage.NORMAL;

    /**
     * Updates the verdict with one modified trend.
     *
     * @param modifiedTrend the trend from {@link TrendlineEstimator#modifiedTrend()}
     * @param sendDeltaMs   send-time delta of the group that produced it
     * @param nowMs         arrival time of that group (any origin, ms)
     */
    public BandwidthUsage detect(double modifiedTrend, double sendDeltaMs, double nowMs, int numDeltas) {
        if (numDeltas < 2 || !Double.isFinite(modifiedTrend)) {
            hypothesis = BandwidthUsage.NORMAL;
            return hypothesis;
        }
        if (modifiedTrend > threshold) {
            if (timeOverUsing == -1) {
                timeOverUsing = sendDeltaMs / 2;
            } else {
                timeOverUsing += sendDeltaMs;
            }
            overuseCounter++;
            if (timeOverUsing > OVERUSE_TIME_MS && overuseCounter > 1 && modifiedTrend >= prevTrend) {
                timeOverUsing = 0;
                overuseCounter = 0;
                hypothesis = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsing = -1;
            overuseCounter = 0;
            hypothesis = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsing = -1;
            overuseCounter = 0;
            hypothesis = BandwidthUsage.NORMAL;
        }
        prevTrend = modifiedTrend;
        updateThreshold(modifiedTrend, nowMs);
        return hypothesis;
    }

    private void updateThreshold(double modifiedTrend, double nowMs) {
        if (Double.isNaN(lastUpdateMs)) {
            lastUpdateMs = nowMs;
        }
        double abs = Math.abs(modifiedTrend);
        if (abs > threshold + MAX_ADAPT_OFFSET_MS) {
            lastUpdateMs = nowMs;
            return;
        }
        double k = abs < threshold ? K_DOWN : K_UP;
        double dt = Math.max(0, Math.min(nowMs - lastUpdateMs, MAX_TIME_DELTA_MS));
        threshold += k * (abs - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD_MS, Math.min(MAX_THRESHOLD_MS, threshold));
        lastUpdateMs = nowMs;
    }

    /** The current verdict. */
    public BandwidthUsage state() {
        return hypothesis;
    }

    /** The current threshold in ms. */
    public double thresholdMs() {
        return threshold;
    }
}
