package org.sluice.bandwidth.feedback;

/**
 * A receive-side bandwidth estimate for a publisher that gets no transport-cc feedback from us, sent to it in REMB.
 * Deliberately simple, and not libwebrtc's delay-based {@code RemoteBitrateEstimator}: it sees only the incoming
 * bitrate and loss over each interval (about a second), and moves like libwebrtc's AIMD rate control does on them:
 *
 * <ul>
 * <li>The first interval gives 1.5 × the incoming rate + 10 kbit/s.</li>
 * <li>Loss above {@link #HIGH_LOSS} (10%): the estimate drops to the incoming rate × (1 − loss / 2), as the
 *     loss-based controller of GCC (draft-ietf-rmcat-gcc §6) does.</li>
 * <li>Loss below {@link #LOW_LOSS} (2%): it grows by 8% per second, but never above 1.5 × the incoming rate
 *     + 10 kbit/s (libwebrtc's bound on an increase), so an application-limited sender is not promised a rate it
 *     has not shown it can use.</li>
 * <li>In between it holds.</li>
 * </ul>
 * It never sees queuing delay, so a link that delays rather than drops is noticed only once it drops. A pure
 * function of what it is given; the caller supplies the clock.
 */
public final class ReceiveSideEstimator {

    /** Loss fraction above which the estimate decreases. */
    public static final double HIGH_LOSS = 0.10;
    /** Loss fraction below which the estimate may increase. */
    public static final double LOW_LOSS = 0.02;
    private static final double INCREASE_PER_SECOND = 1.08;
    private static final long BOUND_EXTRA_BPS = 10_000;

    private final long minBps;
    private final long maxBps;
    private long estimateBps = -1;
    private long lastNanos;
    private long lastOctets;
    private long lastExpected;
    private long lastLost;
    private boolean started;

    public ReceiveSideEstimator(long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("need 0 < min <= max");
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
    }

    /**
     * The counters at {@code nowNanos}: payload and header octets received so far, packets expected (by sequence
     * numbers) and lost so far, all cumulative. The first call only sets the baseline. Returns the estimate
     * (-1 while there is none).
     */
    public long update(long nowNanos, long octets, long expected, long lost) {
        if (!started) {
            started = true;
            remember(nowNanos, octets, expected, lost);
            return estimateBps;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return estimateBps;
        }
        long incomingBps = Math.max(0, (octets - lastOctets)) * 8L * 1_000_000_000L / elapsed;
        long expectedDelta = expected - lastExpected;
        long lostDelta = lost - lastLost;
        double loss = expectedDelta <= 0 ? 0 : Math.max(0, Math.min(1, (double) lostDelta / expectedDelta));
        long bound = incomingBps + incomingBps / 2 + BOUND_EXTRA_BPS;
        if (estimateBps < 0) {
            estimateBps = bound;
        } else if (loss > HIGH_LOSS) {
            estimateBps = Math.min(estimateBps, (long) (incomingBps * (1 - loss / 2)));
        } else if (loss < LOW_LOSS) {
            double seconds = Math.min(1.0, elapsed / 1e9);
            long grown = (long) (estimateBps * Math.pow(INCREASE_PER_SECOND, seconds));
            if (grown > estimateBps) {
                estimateBps = Math.max(estimateBps, Math.min(grown, bound));
            }
        }
        estimateBps = Math.max(minBps, Math.min(maxBps, estimateBps));
        remember(nowNanos, octets, expected, lost);
        return estimateBps;
    }

    private void remember(long nowNanos, long octets, long expected, long lost) {
        lastNanos = nowNanos;
        lastOctets = octets;
        lastExpected = expected;
        lastLost = lost;
    }

    /** The estimate in bits per second, -1 before the first full interval. */
    public long estimateBps() {
        return estimateBps;
    }
}
