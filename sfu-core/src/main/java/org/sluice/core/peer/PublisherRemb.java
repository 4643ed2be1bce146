package org.sluice.core.peer;

import org.sluice.bandwidth.feedback.ReceiveSideEstimator;

/**
 * What the REMB we send a publisher says, decided once a second on the leg's loop (only toward a publisher that
 * negotiated goog-remb):
 * <ul>
 * <li>Without transport-cc the publisher's own estimator has nothing else from us, so it gets our receive-side
 *     estimate ({@link ReceiveSideEstimator}: incoming rate and loss).</li>
 * <li>A cap set by the room ({@link #cap}: its viewers need only the lower simulcast layers) is sent too, the lower
 *     of the two; it limits a browser's total send rate, so it stops its top layers. libwebrtc honours REMB as a
 *     receiver limit even with transport-cc.</li>
 * <li>A lifted cap is followed by a few REMBs of {@link #UNCAPPED_BPS}: a browser keeps the last REMB's limit
 *     until another one comes.</li>
 * </ul>
 */
final class PublisherRemb {

    /** What a REMB says when nothing is limited any more. */
    static final long UNCAPPED_BPS = 1_000_000_000L;
    /** How many uncapped REMBs follow a lifted cap (one a second). */
    static final int LIFT_REPEATS = 5;
    private static final long MIN_BPS = 30_000;
    private static final long MAX_BPS = 50_000_000;

    private final ReceiveSideEstimator estimator = new ReceiveSideEstimator(MIN_BPS, MAX_BPS);
    /** The room's cap, {@link Long#MAX_VALUE} for none; written by the control plane. */
    private volatile long capBps = Long.MAX_VALUE;
    private volatile boolean capChanged;
    private int liftsLeft;

    /** The room's cap on the publisher's total send rate ({@link Long#MAX_VALUE}: none). Any thread. */
    void cap(long bps) {
        long next = bps <= 0 ? Long.MAX_VALUE : bps;
        if (next != capBps) {
            capBps = next;
            capChanged = true;
        }
    }

    long capBps() {
        return capBps;
    }

    /** Whether the cap changed since the last REMB (so one goes out at the next tick, not the next second). */
    boolean capChanged() {
        return capChanged;
    }

    /**
     * The value of the REMB to send now, -1 for none. {@code estimating}: the publisher has no transport-cc, so
     * the counters (cumulative octets, expected and lost packets) feed the receive-side estimate.
     */
    long next(long nowNanos, boolean estimating, long octets, long expected, long lost) {
        capChanged = false;
        long estimate = estimating ? estimator.update(nowNanos, octets, expected, lost) : -1;
        long cap = capBps;
        if (cap != Long.MAX_VALUE) {
            liftsLeft = LIFT_REPEATS;
            return estimate < 0 ? cap : Math.min(cap, estimate);
        }
        if (estimate >= 0) {
            return estimate;
        }
        if (liftsLeft > 0) {
            liftsLeft--;
            return UNCAPPED_BPS;
        }
        return -1;
    }
}
