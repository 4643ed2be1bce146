package org.sluice.bandwidth.gcc;

/**
 * Running estimate of the link capacity, sampled by the acknowledged rate at each over-use
 * (libwebrtc's LinkCapacityEstimator): an exponential average with a normalised variance, giving
 * bounds of three deviations either side. {@link AimdRateControl} increases additively while the
 * throughput stays within the bounds and multiplicatively once the estimate is reset.
 */
final class LinkCapacityEstimator {
    private static final double MIN_VARIANCE = 0.4;
    private static final double MAX_VARIANCE = 2.5;

    private double estimateKbps = Double.NaN;
    private double variance = MIN_VARIANCE;

    boolean hasEstimate() {
        return !Double.isNaN(estimateKbps);
    }

    /** Estimate in bps (NaN when none). */
    double estimateBps() {
        return estimateKbps * 1000;
    }

    double upperBoundBps() {
        return hasEstimate() ? (estimateKbps + 3 * deviationKbps()) * 1000 : Double.POSITIVE_INFINITY;
    }

    double lowerBoundBps() {
        return hasEstimate() ? Math.max(0, estimateKbps - 3 * deviationKbps()) * 1000 : 0;
    }

    void reset() {
        estimateKbps = Double.NaN;
    }

    void onOveruseDetected(double ackedBps) {
        update(ackedBps, 0.05);
    }

    void onProbeRate(double probeBps) {
        update(probeBps, 0.5);
    }

    private void update(double sampleBps, double alpha) {
        double sample = sampleBps / 1000;
        if (!hasEstimate()) {
            estimateKbps = sample;
        } else {
            estimateKbps = (1 - alpha) * estimateKbps + alpha * sample;
        }
        double norm = Math.max(estimateKbps, 1.0);
        double error = estimateKbps - sample;
        variance = (1 - alpha) * variance + alpha * error * error / norm;
        variance = Math.max(MIN_VARIANCE, Math.min(MAX_VARIANCE, variance));
    }

    private double deviationKbps() {
        return Math.sqrt(variance * estimateKbps);
    }
}
