package org.sluice.bandwidth.gcc;

/**
 * Rate at which the receiver acknowledged packets (libwebrtc's AcknowledgedBitrateEstimator over
 * its BitrateEstimator). Received bytes are summed over windows of arrival time (500 ms for the
 * first sample, 150 ms after) and each window's rate updates a Bayesian estimate whose sample
 * uncertainty grows with the distance from the estimate ({@link #UNCERTAINTY_SCALE}, doubled for
 * a drop while application limited, when a low rate says little about capacity).
 *
 * <p>After application-limited periods end ({@link #setAlrEnded}), the first packet sent after that
 * moment widens the estimate's variance so it can follow the expected rise quickly.
 */
public final class AcknowledgedBitrateEstimator {
    /** First window, in ms of arrival time. */
    public static final int INITIAL_WINDOW_MS = 500;
    /** Later windows. */
    public static final int WINDOW_MS = 150;
    /** Sample uncertainty scale. */
    public static final double UNCERTAINTY_SCALE = 10;
    /** Sample uncertainty scale for a drop while application limited. */
    public static final double UNCERTAINTY_SCALE_IN_ALR = 20;
    private static final double PROCESS_VARIANCE = 5;
    private static final double FAST_CHANGE_VARIANCE = 200;
    private static final long NONE = Long.MIN_VALUE;

    private double estimateKbps = -1;
    private double variance = 50;
    private long sumBytes;
    private long currentWindowMs;
    private long prevTimeMs = -1;
    private long alrEndedNanos = NONE;

    /** One received packet, in arrival order. */
    public void onPacket(long sendNanos, long arrivalNanos, int sizeBytes, boolean inAlr) {
        if (alrEndedNanos != NONE && sendNanos > alrEndedNanos) {
            variance += FAST_CHANGE_VARIANCE;
            alrEndedNanos = NONE;
        }
        update(Math.floorDiv(arrivalNanos, 1_000_000L), Math.max(0, sizeBytes), inAlr);
    }

    private void update(long nowMs, int bytes, boolean inAlr) {
        int window = estimateKbps < 0 ? INITIAL_WINDOW_MS : WINDOW_MS;
        double sample = updateWindow(nowMs, bytes, window);
        if (sample < 0) {
            return;
        }
        if (estimateKbps < 0) {
            estimateKbps = sample;
            return;
        }
        double scale = inAlr && sample < estimateKbps ? UNCERTAINTY_SCALE_IN_ALR : UNCERTAINTY_SCALE;
        double uncertainty = scale * Math.abs(estimateKbps - sample) / estimateKbps;
        double sampleVar = uncertainty * uncertainty;
        double predVar = variance + PROCESS_VARIANCE;
        estimateKbps = (sampleVar * estimateKbps + predVar * sample) / (sampleVar + predVar);
        estimateKbps = Math.max(estimateKbps, 0);
        variance = sampleVar * predVar / (sampleVar + predVar);
    }

    private double updateWindow(long nowMs, int bytes, int window) {
        if (nowMs < prevTimeMs) {
            prevTimeMs = -1;
            sumBytes = 0;
            currentWindowMs = 0;
        }
        if (prevTimeMs >= 0) {
            currentWindowMs += nowMs - prevTimeMs;
            if (nowMs - prevTimeMs > window) {
                sumBytes = 0;
                currentWindowMs %= window;
            }
        }
        prevTimeMs = nowMs;
        double sample = -1;
        if (currentWindowMs >= window) {
            sample = 8.0 * sumBytes / window;
            currentWindowMs -= window;
            sumBytes = 0;
        }
        sumBytes += bytes;
        return sample;
    }

    /** Marks the end of an application-limited period. */
    public void setAlrEnded(long nowNanos) {
        alrEndedNanos = nowNanos;
    }

    /** The acknowledged rate in bps, or NaN before the first window completed. */
    public double bitrateBps() {
        return estimateKbps < 0 ? Double.NaN : estimateKbps * 1000;
    }
}
