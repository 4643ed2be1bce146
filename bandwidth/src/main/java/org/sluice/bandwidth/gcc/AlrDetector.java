package org.sluice.bandwidth.gcc;

/**
 * Application-limited region detector (libwebrtc's AlrDetector). A budget fills at {@link
 * #USAGE_RATIO} of the target rate and drains by the bytes sent, bounded to ±{@link #WINDOW_MS}
 * worth of that rate. When the unused budget exceeds {@link #START_RATIO} of its bound the sender
 * is application limited (it sends well below the target); it leaves that state when the budget
 * falls under {@link #STOP_RATIO}.
 */
public final class AlrDetector {
    /** Fraction of the target the budget fills at. */
    public static final double USAGE_RATIO = 0.65;
    /** Budget level that starts ALR. */
    public static final double START_RATIO = 0.80;
    /** Budget level that ends ALR. */
    public static final double STOP_RATIO = 0.50;
    /** Budget window. */
    public static final int WINDOW_MS = 500;
    private static final long NONE = Long.MIN_VALUE;

    private double rateBps;
    private double remainingBytes;
    private long lastSendNanos = NONE;
    private long alrStartNanos = NONE;
    private long alrEndedNanos = NONE;

    public AlrDetector(long targetBps) {
        setTargetBitrate(targetBps);
    }

    /** Sets the target rate the budget fills from. */
    public void setTargetBitrate(double targetBps) {
        if (targetBps > 0) {
            rateBps = targetBps * USAGE_RATIO;
            double max = maxBytes();
            remainingBytes = Math.max(-max, Math.min(max, remainingBytes));
        }
    }

    private double maxBytes() {
        return rateBps * WINDOW_MS / 1000.0 / 8;
    }

    /** Accounts one sent packet. */
    public void onBytesSent(int bytes, long nowNanos) {
        if (lastSendNanos == NONE) {
            lastSendNanos = nowNanos;
            return;
        }
        long deltaNanos = Math.max(0, nowNanos - lastSendNanos);
        lastSendNanos = nowNanos;
        double max = maxBytes();
        double deltaMs = Math.min(deltaNanos / 1e6, WINDOW_MS);
        remainingBytes = Math.min(max, remainingBytes + rateBps * deltaMs / 1000.0 / 8);
        remainingBytes = Math.max(-max, remainingBytes - Math.max(0, bytes));
        double ratio = max <= 0 ? 0 : remainingBytes / max;
        if (ratio > START_RATIO && alrStartNanos == NONE) {
            alrStartNanos = nowNanos;
        } else if (ratio < STOP_RATIO && alrStartNanos != NONE) {
            alrStartNanos = NONE;
            alrEndedNanos = nowNanos;
        }
    }

    /** Whether the sender is application limited. */
    public boolean inAlr() {
        return alrStartNanos != NONE;
    }

    /** When the current ALR began, or {@link Long#MIN_VALUE}. */
    public long alrStartNanos() {
        return alrStartNanos;
    }

    /** When the last ALR ended, or {@link Long#MIN_VALUE}; cleared by reading it with {@link #takeAlrEnded()}. */
    public long takeAlrEnded() {
        long t = alrEndedNanos;
        alrEndedNanos = NONE;
        return t;
    }
}
