package org.sluice.bandwidth.gcc;

/**
 * Turns the over-use verdict into a delay-based rate (draft-ietf-rmcat-gcc-02 §5.5, libwebrtc's
 * AimdRateControl). A state machine of hold, increase and decrease:
 *
 * <ul>
 *   <li>normal moves hold to increase; over-use moves to decrease; under-use holds (queues drain);
 *   <li>increase is multiplicative, {@link #MULTIPLICATIVE_INCREASE} per second, while no link
 *       capacity is known (or the throughput left its bounds), and additive near it: about one
 *       packet per response time (RTT + 100 ms), at least 4 kbit/s per second; it never goes
 *       above 1.5 × the acknowledged rate + 10 kbit/s;
 *   <li>decrease sets the rate to {@link #BETA} × the acknowledged rate (never up), records that
 *       rate as a link capacity sample, and holds.
 * </ul>
 */
public final class AimdRateControl {
    /** Multiplicative decrease factor. */
    public static final double BETA = 0.85;
    /** Multiplicative increase per second far from convergence. */
    public static final double MULTIPLICATIVE_INCREASE = 1.08;
    /** Smallest additive increase, bits per second per second. */
    public static final double MIN_ADDITIVE_INCREASE_BPS_PER_S = 4000;
    /** RTT assumed until one is reported. */
    public static final long DEFAULT_RTT_NANOS = 200_000_000;
    private static final long INITIALIZATION_NANOS = 5_000_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    /** Rate control state. */
    public enum State { HOLD, INCREASE, DECREASE }

    private final double minBps;
    private final double maxBps;
    private final LinkCapacityEstimator linkCapacity = new LinkCapacityEstimator();

    private double currentBps;
    private double latestThroughputBps;
    private boolean initialized;
    private State state = State.HOLD;
    private long lastChangeNanos = NONE;
    private long lastDecreaseNanos = NONE;
    private long firstThroughputNanos = NONE;
    private long rttNanos = DEFAULT_RTT_NANOS;

    public AimdRateControl(long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = maxBps;
        this.latestThroughputBps = maxBps;
    }

    /** Sets the starting rate and marks the estimate valid. */
    public void setStartBitrate(long bps) {
        currentBps = clamp(bps);
        latestThroughputBps = currentBps;
        initialized = true;
    }

    /** Sets the estimate outright (probe result, initial halving). */
    public void setEstimate(double bps, long nowNanos) {
        initialized = true;
        double prev = currentBps;
        currentBps = clamp(bps);
        lastChangeNanos = nowNanos;
        if (currentBps < prev) {
            lastDecreaseNanos = nowNanos;
        }
    }

    /**
     * Restarts from {@code bps} (an unconfirmed start brought down): not an over-use, so no decrease is recorded and
     * probes are not held off.
     */
    public void restartAt(double bps, long nowNanos) {
        initialized = true;
        currentBps = clamp(bps);
        lastChangeNanos = nowNanos;
    }

    /**
     * Sets the estimate to a probe result, which also samples the link capacity with weight 0.5:
     * after a probe the increase is additive near the probed rate, and turns multiplicative again
     * once the throughput leaves the capacity bounds. (Without that sample the simulator's two
     * flows sharing a bottleneck ended 59% apart instead of 24%.)
     */
    public void onProbeResult(double bps, long nowNanos) {
        linkCapacity.onProbeRate(bps);
        setEstimate(bps, nowNanos);
    }

    public void setRtt(long rttNanos) {
        if (rttNanos > 0) {
            this.rttNanos = rttNanos;
        }
    }

    /** Whether an estimate exists (start rate set, or set by a probe or a decrease). */
    public boolean validEstimate() {
        return initialized;
    }

    /** The current delay-based rate. */
    public double latestEstimateBps() {
        return currentBps;
    }

    /**
     * Whether another decrease is due while over-using: one RTT (10..200 ms) after the last
     * change, or at once when the throughput fell below half the estimate.
     */
    public boolean timeToReduceFurther(long nowNanos, double throughputBps) {
        long interval = Math.max(10_000_000L, Math.min(200_000_000L, rttNanos));
        if (lastChangeNanos == NONE || nowNanos - lastChangeNanos >= interval) {
            return true;
        }
        return initialized && throughputBps < 0.5 * currentBps;
    }

    /** {@link #timeToReduceFurther} before any throughput is known. */
    public boolean initialTimeToReduceFurther(long nowNanos) {
        return initialized && timeToReduceFurther(nowNanos, currentBps / 2 - 1);
    }

    /**
     * Applies one verdict.
     *
     * @param throughputBps acknowledged rate, or NaN when unknown
     * @return the new delay-based rate
     */
    public double update(BandwidthUsage usage, double throughputBps, long nowNanos) {
        boolean haveThroughput = !Double.isNaN(throughputBps);
        if (!initialized) {
            if (firstThroughputNanos == NONE) {
                if (haveThroughput) {
                    firstThroughputNanos = nowNanos;
                }
            } else if (nowNanos - firstThroughputNanos > INITIALIZATION_NANOS && haveThroughput) {
                currentBps = clamp(throughputBps);
                initialized = true;
            }
        }
        changeBitrate(usage, haveThroughput ? throughputBps : latestThroughputBps, haveThroughput, nowNanos);
        return currentBps;
    }

    private void changeBitrate(BandwidthUsage usage, double throughput, boolean fresh, long nowNanos) {
        if (fresh) {
            latestThroughputBps = throughput;
        }
        if (!initialized && usage != BandwidthUsage.OVERUSING) {
            return;
        }
        changeState(usage, nowNanos);
        double next = currentBps;
        switch (state) {
            case HOLD:
                break;
            case INCREASE:
                if (throughput > linkCapacity.upperBoundBps()) {
                    linkCapacity.reset();
                }
                double limit = 1.5 * throughput + 10_000;
                if (currentBps < limit) {
                    double increased;
                    if (linkCapacity.hasEstimate()) {
                        increased = currentBps + additiveIncrease(nowNanos);
                    } else {
                        increased = currentBps + multiplicativeIncrease(nowNanos);
                    }
                    next = Math.min(increased, limit);
                }
                lastChangeNanos = nowNanos;
                break;
            case DECREASE:
                double decreased = throughput * BETA;
                if (decreased > currentBps && linkCapacity.hasEstimate()) {
                    decreased = BETA * linkCapacity.estimateBps();
                }
                if (decreased < currentBps) {
                    next = decreased;
                }
                if (throughput < linkCapacity.lowerBoundBps()) {
                    linkCapacity.reset();
                }
                initialized = true;
                linkCapacity.onOveruseDetected(throughput);
                state = State.HOLD;
                lastChangeNanos = nowNanos;
                lastDecreaseNanos = nowNanos;
                break;
            default:
                break;
        }
        currentBps = clamp(next);
    }

    private double multiplicativeIncrease(long nowNanos) {
        double alpha = MULTIPLICATIVE_INCREASE;
        if (lastChangeNanos != NONE) {
            double seconds = Math.min(Math.max(0, (nowNanos - lastChangeNanos) / 1e9), 1.0);
            alpha = Math.pow(alpha, seconds);
        }
        return Math.max(currentBps * (alpha - 1), 1000);
    }

    private double additiveIncrease(long nowNanos) {
        double seconds = lastChangeNanos == NONE ? 0 : Math.max(0, (nowNanos - lastChangeNanos) / 1e9);
        return nearMaxIncreaseBpsPerSecond() * seconds;
    }

    /** About one average packet per response time, in bits per second per second. */
    double nearMaxIncreaseBpsPerSecond() {
        double frameBits = currentBps / 30.0;
        double packetsPerFrame = Math.ceil(frameBits / (1200 * 8));
        double avgPacketBits = frameBits / Math.max(1, packetsPerFrame);
        double responseSeconds = (rttNanos + 100_000_000L) / 1e9;
        return Math.max(MIN_ADDITIVE_INCREASE_BPS_PER_S, avgPacketBits / responseSeconds);
    }

    private void changeState(BandwidthUsage usage, long nowNanos) {
        switch (usage) {
            case NORMAL:
                if (state == State.HOLD) {
                    lastChangeNanos = nowNanos;
                    state = State.INCREASE;
                }
                break;
            case OVERUSING:
                state = State.DECREASE;
                break;
            case UNDERUSING:
                state = State.HOLD;
                break;
            default:
                break;
        }
    }

    private double clamp(double bps) {
        if (Double.isNaN(bps)) {
            return currentBps;
        }
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    /** The rate control state. */
    public State state() {
        return state;
    }

    /** Link capacity estimate in bps, NaN when none. */
    public double linkCapacityBps() {
        return linkCapacity.estimateBps();
    }

    /** Time of the last decrease, or {@link Long#MIN_VALUE}. */
    public long lastDecreaseNanos() {
        return lastDecreaseNanos;
    }
}
