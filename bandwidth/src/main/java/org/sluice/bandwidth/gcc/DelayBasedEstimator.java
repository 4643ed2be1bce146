package org.sluice.bandwidth.gcc;

/**
 * The delay-based half of GCC (libwebrtc's DelayBasedBwe): feeds each received packet through
 * {@link InterArrival}, {@link TrendlineEstimator} and {@link OveruseDetector}, then once per
 * feedback lets {@link AimdRateControl} act on the final verdict, the acknowledged rate and any
 * probe result.
 *
 * <p>Over-use before any acknowledged rate exists halves the estimate at most every 200 ms (RTT
 * bounded); with one, a decrease is applied at most once per RTT unless the throughput collapsed.
 * A probe result replaces the estimate only when it is higher and no over-use is signalled.
 */
public final class DelayBasedEstimator {
    private final InterArrival interArrival = new InterArrival();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl rateControl;
    private boolean updatedByProbe;

    public DelayBasedEstimator(long minBps, long maxBps, long startBps) {
        rateControl = new AimdRateControl(minBps, maxBps);
        rateControl.setStartBitrate(startBps);
    }

    /** One received packet of a feedback, in arrival order. */
    public void onPacket(long sendNanos, long arrivalNanos, int sizeBytes, long nowNanos) {
        if (interArrival.computeDeltas(sendNanos, arrivalNanos, nowNanos, sizeBytes)) {
            double sendMs = interArrival.sendDeltaNanos() / 1e6;
            double recvMs = interArrival.arrivalDeltaNanos() / 1e6;
            double arrivalMs = arrivalNanos / 1e6;
            trendline.update(recvMs, sendMs, arrivalMs);
            detector.detect(trendline.modifiedTrend(), sendMs, arrivalMs, trendline.numDeltas());
        }
    }

    /**
     * Updates the rate once all packets of a feedback were given.
     *
     * @param ackedBps acknowledged rate, NaN when unknown
     * @param probeBps probe result, NaN when none
     * @return the delay-based rate
     */
    public double onFeedbackDone(double ackedBps, double probeBps, long nowNanos) {
        updatedByProbe = false;
        if (detector.state() == BandwidthUsage.OVERUSING) {
            if (!Double.isNaN(ackedBps)) {
                if (rateControl.timeToReduceFurther(nowNanos, ackedBps)) {
                    rateControl.update(BandwidthUsage.OVERUSING, ackedBps, nowNanos);
                }
            } else if (rateControl.initialTimeToReduceFurther(nowNanos)) {
                rateControl.setEstimate(rateControl.latestEstimateBps() / 2, nowNanos);
            }
        } else if (!Double.isNaN(probeBps) && probeBps > rateControl.latestEstimateBps()) {
            rateControl.onProbeResult(probeBps, nowNanos);
            updatedByProbe = true;
        } else {
            rateControl.update(detector.state(), ackedBps, nowNanos);
        }
        return rateControl.latestEstimateBps();
    }

    /** Sets the rate outright (an unconfirmed start brought down), recording no decrease. */
    public void resetEstimate(double bps, long nowNanos) {
        rateControl.restartAt(bps, nowNanos);
    }

    /** Whether the last {@link #onFeedbackDone} took a probe result. */
    public boolean updatedByProbe() {
        return updatedByProbe;
    }

    public void setRtt(long rttNanos) {
        rateControl.setRtt(rttNanos);
    }

    public double estimateBps() {
        return rateControl.latestEstimateBps();
    }

    public BandwidthUsage usage() {
        return detector.state();
    }

    public double thresholdMs() {
        return detector.thresholdMs();
    }

    public double modifiedTrend() {
        return trendline.modifiedTrend();
    }

    public AimdRateControl.State rateControlState() {
        return rateControl.state();
    }

    /** Time of the last decrease of the delay-based rate, or {@link Long#MIN_VALUE}. */
    public long lastDecreaseNanos() {
        return rateControl.lastDecreaseNanos();
    }

    public double linkCapacityBps() {
        return rateControl.linkCapacityBps();
    }
}
