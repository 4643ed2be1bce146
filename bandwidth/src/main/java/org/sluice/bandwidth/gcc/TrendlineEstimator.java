package org.sluice.bandwidth.gcc;

/**
 * Estimates the trend of the one-way queuing delay from group deltas (libwebrtc's
 * TrendlineEstimator): the delay variation {@code arrivalDelta - sendDelta} is accumulated,
 * exponentially smoothed ({@link #SMOOTHING}), and a least-squares line is fitted through the last
 * {@link #WINDOW} (arrival time, smoothed delay) points. Its slope is the trend (ms of delay per ms);
 * {@link #modifiedTrend()} scales it by {@code min(deltas, 60) * }{@link #THRESHOLD_GAIN} for the
 * {@link OveruseDetector}, which compares it with a threshold in milliseconds.
 *
 * <p>The window lives in two fixed arrays used as a ring; nothing is allocated per update.
 */
public final class TrendlineEstimator {
    /** Points the line is fitted through. */
    public static final int WINDOW = 20;
    /** Exponential smoothing coefficient of the accumulated delay. */
    public static final double SMOOTHING = 0.9;
    /** Gain applied to the slope before thresholding. */
    public static final double THRESHOLD_GAIN = 4.0;
    /** Delta count at which the modified trend stops growing with the number of deltas. */
    public static final int MIN_NUM_DELTAS = 60;
    private static final int DELTA_COUNTER_MAX = 1000;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int size;
    private int head;

    private int numDeltas;
    private double firstArrivalMs = Double.NaN;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private double trend;
    private double modifiedTrend;

    /**
     * Adds one group delta and refits the trend.
     *
     * @param recvDeltaMs   arrival-time delta between two groups
     * @param sendDeltaMs   send-time delta between the same groups
     * @param arrivalTimeMs arrival time of the later group (any origin)
     */
    public void update(double recvDeltaMs, double sendDeltaMs, double arrivalTimeMs) {
        double deltaMs = recvDeltaMs - sendDeltaMs;
        if (!Double.isFinite(deltaMs) || !Double.isFinite(arrivalTimeMs)) {
            return;
        }
        numDeltas = Math.min(numDeltas + 1, DELTA_COUNTER_MAX);
        if (Double.isNaN(firstArrivalMs)) {
            firstArrivalMs = arrivalTimeMs;
        }
        accumulatedDelayMs += deltaMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        int at = (head + size) % WINDOW;
        if (size == WINDOW) {
            head = (head + 1) % WINDOW;
        } else {
            size++;
        }
        xs[at] = arrivalTimeMs - firstArrivalMs;
        ys[at] = smoothedDelayMs;
        if (size == WINDOW) {
            double slope = fitSlope();
            if (!Double.isNaN(slope)) {
                trend = slope;
            }
        }
        modifiedTrend = numDeltas < 2 ? 0 : Math.min(numDeltas, MIN_NUM_DELTAS) * trend * THRESHOLD_GAIN;
    }

    private double fitSlope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < size; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double avgX = sumX / size;
        double avgY = sumY / size;
        double num = 0;
        double den = 0;
        for (int i = 0; i < size; i++) {
            double dx = xs[i] - avgX;
            num += dx * (ys[i] - avgY);
            den += dx * dx;
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /** Slope of the smoothed delay against arrival time (0 until the window first fills). */
    public double trend() {
        return trend;
    }

    /** The trend scaled for thresholding, in milliseconds; 0 before two deltas. */
    public double modifiedTrend() {
        return modifiedTrend;
    }

    /** Deltas seen (saturating at 1000). */
    public int numDeltas() {
        return numDeltas;
    }

    /** Forgets everything. */
    public void reset() {
        size = 0;
        head = 0;
        numDeltas = 0;
        firstArrivalMs = Double.NaN;
        accumulatedDelayMs = 0;
        smoothedDelayMs = 0;
        trend = 0;
        modifiedTrend = 0;
    }
}
