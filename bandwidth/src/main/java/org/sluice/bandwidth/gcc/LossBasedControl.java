package org.sluice.bandwidth.gcc;

/**
 * The loss-based controller (draft-ietf-rmcat-gcc-02 §6, libwebrtc's SendSideBandwidthEstimation
 * v1). It holds the final target, never above the delay-based rate, the receiver's REMB or the
 * configured maximum:
 *
 * <ul>
 *   <li>loss below {@link #LOW_LOSS} (2%): increase to 8% above the lowest target of the last
 *       second, plus 1 kbit/s (so at most about 8% per second);
 *   <li>loss above {@link #HIGH_LOSS} (10%): decrease to {@code target × (1 − 0.5 × loss)}, at most
 *       once per 300 ms + RTT and once per loss report;
 *   <li>in between: hold.
 * </ul>
 *
 * Loss comes either from transport feedback ({@link #onPacketsLost}, reported once at least
 * {@link #MIN_PACKETS} packets were accounted) or from receiver reports ({@link
 * #onFractionLost}). During the first 2 s, while no loss was seen, the target follows the
 * delay-based rate and the REMB upward so that start-up probing takes effect. Before any loss
 * information exists the target is simply the upper limit.
 *
 * <p>The one-second minimum is a monotonic deque in fixed arrays.
 */
public final class LossBasedControl {
    /** Loss fraction below which the target increases. */
    public static final double LOW_LOSS = 0.02;
    /** Loss fraction above which the target decreases. */
    public static final double HIGH_LOSS = 0.10;
    /** Packets accounted before transport-feedback loss is evaluated. */
    public static final int MIN_PACKETS = 20;
    private static final long INCREASE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    private static final long START_PHASE_NANOS = 2_000_000_000L;
    private static final long LOSS_REPORT_TIMEOUT_NANOS = 6_000_000_000L;
    private static final int HISTORY = 64;
    private static final long NONE = Long.MIN_VALUE;

    private final double minBps;
    private final double maxBps;
    private double currentBps;
    private double delayBasedLimitBps = Double.POSITIVE_INFINITY;
    private double receiverLimitBps = Double.POSITIVE_INFINITY;
    private long rttNanos = AimdRateControl.DEFAULT_RTT_NANOS;

    private int lostAccumulated;
    private int expectedAccumulated;
    private int lastFractionLoss;
    private long lastLossReportNanos = NONE;
    private long firstReportNanos = NONE;
    private long lastDecreaseNanos = NONE;
    private boolean decreasedSinceLastLoss;

    private final long[] historyTimes = new long[HISTORY];
    private final double[] historyRates = new double[HISTORY];
    private int historyHead;
    private int historySize;

    public LossBasedControl(long minBps, long maxBps, long startBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = startBps;
    }

    /** Caps the target by the delay-based rate. */
    public void setDelayBasedLimit(double bps, long nowNanos) {
        if (bps > 0) {
            delayBasedLimitBps = bps;
            update(nowNanos);
        }
    }

    /** Caps the target by the receiver's REMB. */
    public void setReceiverLimit(double bps, long nowNanos) {
        if (bps > 0) {
            receiverLimitBps = bps;
            if (firstReportNanos == NONE) {
                firstReportNanos = nowNanos;
            }
            update(nowNanos);
        }
    }

    /** Forgets the receiver's REMB cap (transport-cc feedback took over). */
    public void clearReceiverLimit() {
        receiverLimitBps = Double.POSITIVE_INFINITY;
    }

    /** Sets the target outright (a probe result) and forgets the one-second minimum. */
    public void setSendBitrate(double bps, long nowNanos) {
        currentBps = bps;
        applyLimits();
        historySize = 0;
    }

    public void setRtt(long rttNanos) {
        if (rttNanos > 0) {
            this.rttNanos = rttNanos;
        }
    }

    /** Loss counted from transport feedback. */
    public void onPacketsLost(int lost, int total, long nowNanos) {
        if (lost < 0 || total <= 0 || lost > total) {
            return;
        }
        if (firstReportNanos == NONE) {
            firstReportNanos = nowNanos;
        }
        lostAccumulated += lost;
        expectedAccumulated += total;
        if (expectedAccumulated < MIN_PACKETS) {
            return;
        }
        int fraction = (int) Math.min(255, (lostAccumulated * 256L) / expectedAccumulated);
        lostAccumulated = 0;
        expectedAccumulated = 0;
        onLoss(fraction, nowNanos);
    }

    /** Loss from a receiver report: fraction lost in 1/256. Out-of-range values are ignored. */
    public void onFractionLost(int fractionLost256, long nowNanos) {
        if (fractionLost256 < 0 || fractionLost256 > 255) {
            return;
        }
        if (firstReportNanos == NONE) {
            firstReportNanos = nowNanos;
        }
        onLoss(fractionLost256, nowNanos);
    }

    private void onLoss(int fraction, long nowNanos) {
        lastFractionLoss = fraction;
        decreasedSinceLastLoss = false;
        lastLossReportNanos = nowNanos;
        update(nowNanos);
    }

    /** Re-evaluates the target. */
    public void update(long nowNanos) {
        if (lastFractionLoss == 0 && inStartPhase(nowNanos)) {
            double up = Math.max(currentBps, finiteOr(receiverLimitBps, currentBps));
            up = Math.max(up, finiteOr(delayBasedLimitBps, currentBps));
            if (up != currentBps) {
                historySize = 0;
                pushHistory(nowNanos, currentBps);
                currentBps = up;
                applyLimits();
                return;
            }
        }
        updateHistory(nowNanos);
        if (lastLossReportNanos == NONE) {
            currentBps = upperLimit();
            applyLimits();
            return;
        }
        if (nowNanos - lastLossReportNanos < LOSS_REPORT_TIMEOUT_NANOS) {
            double loss = lastFractionLoss / 256.0;
            if (loss <= LOW_LOSS) {
                currentBps = historyRates[historyHead] * 1.08 + 0.5 + 1000;
            } else if (loss > HIGH_LOSS) {
                if (!decreasedSinceLastLoss
                        && (lastDecreaseNanos == NONE
                        || nowNanos - lastDecreaseNanos >= DECREASE_INTERVAL_NANOS + rttNanos)) {
                    lastDecreaseNanos = nowNanos;
                    currentBps = currentBps * (512 - lastFractionLoss) / 512.0;
                    decreasedSinceLastLoss = true;
                }
            }
        }
        applyLimits();
    }

    private boolean inStartPhase(long nowNanos) {
        return firstReportNanos == NONE || nowNanos - firstReportNanos < START_PHASE_NANOS;
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isInfinite(v) ? fallback : v;
    }

    private double upperLimit() {
        return Math.min(maxBps, Math.min(delayBasedLimitBps, receiverLimitBps));
    }

    private void applyLimits() {
        currentBps = Math.max(minBps, Math.min(upperLimit(), currentBps));
    }

    private void updateHistory(long nowNanos) {
        while (historySize > 0 && nowNanos - historyTimes[historyHead] + 1_000_000 > INCREASE_INTERVAL_NANOS) {
            historyHead = (historyHead + 1) % HISTORY;
            historySize--;
        }
        while (historySize > 0 && currentBps <= historyRates[(historyHead + historySize - 1) % HISTORY]) {
            historySize--;
        }
        pushHistory(nowNanos, currentBps);
    }

    private void pushHistory(long nowNanos, double bps) {
        if (historySize == HISTORY) {
            // keep the oldest (the minimum); overwrite the newest
            historySize--;
        }
        int at = (historyHead + historySize) % HISTORY;
        historyTimes[at] = nowNanos;
        historyRates[at] = bps;
        historySize++;
    }

    /** The loss-based target. */
    public double targetBps() {
        return currentBps;
    }

    /** Last fraction lost, in 1/256. */
    public int lastFractionLoss() {
        return lastFractionLoss;
    }

    /** The delay-based cap, infinite before the first. */
    public double delayBasedLimitBps() {
        return delayBasedLimitBps;
    }

    /** The REMB cap, infinite before the first. */
    public double receiverLimitBps() {
        return receiverLimitBps;
    }
}
