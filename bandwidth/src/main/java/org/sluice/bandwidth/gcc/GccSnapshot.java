package org.sluice.bandwidth.gcc;

/**
 * Reusable copy of a {@link GoogCcEstimator}'s internals for metrics, filled by {@link
 * GoogCcEstimator#snapshot(GccSnapshot)}. Rates are bits per second, -1 when unknown.
 */
public final class GccSnapshot {
    /** Final target (loss-based, capped by delay-based and REMB). */
    public long targetBps;
    /** Pacing rate. */
    public long pacingBps;
    /** Delay-based rate, -1 before transport feedback. */
    public long delayBasedBps;
    /** Loss-based rate. */
    public long lossBasedBps;
    /** Acknowledged rate, -1 before the first window. */
    public long acknowledgedBps;
    /** Last REMB, -1 when none. */
    public long rembBps;
    /** Link capacity estimate of the rate control, -1 when none. */
    public long linkCapacityBps;
    /** Over-use detector verdict. */
    public BandwidthUsage usage = BandwidthUsage.NORMAL;
    /** Rate control state. */
    public AimdRateControl.State rateControlState = AimdRateControl.State.HOLD;
    /** Modified delay trend, ms. */
    public double modifiedTrendMs;
    /** Over-use threshold, ms. */
    public double thresholdMs;
    /** Last loss fraction, 1/256. */
    public int fractionLost256;
    /** Application limited. */
    public boolean inAlr;
    /** Bytes sent and not yet reported. */
    public long inFlightBytes;
    /** Last RTT, ns (-1 when none reported). */
    public long rttNanos;
}
