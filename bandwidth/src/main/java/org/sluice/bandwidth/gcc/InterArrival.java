package org.sluice.bandwidth.gcc;

/**
 * Groups packets into send-time bursts and yields the deltas between consecutive groups
 * (draft-ietf-rmcat-gcc-02 §5.2, libwebrtc's InterArrivalDelta). A group is the packets sent within
 * {@link #SEND_TIME_GROUP_NANOS} of its first; a packet that arrives within {@link
 * #BURST_DELTA_NANOS} of the previous one with less delay than it (a burst released by a queue)
 * joins the current group as long as the group spans less than {@link #MAX_BURST_NANOS} of
 * arrival time.
 *
 * <p>When {@link #computeDeltas} returns true, {@link #sendDeltaNanos()}, {@link
 * #arrivalDeltaNanos()} and {@link #sizeDeltaBytes()} hold the deltas between the two groups
 * just completed. The state resets when the arrival clock jumps by more than {@link
 * #ARRIVAL_OFFSET_RESET_NANOS} against local time, or after {@link #REORDERED_RESET_COUNT}
 * consecutive groups that arrive out of order.
 */
public final class InterArrival {
    /** Send-time length of a group. */
    public static final long SEND_TIME_GROUP_NANOS = 5_000_000;
    /** Arrival spacing under which a delayed packet joins the burst. */
    public static final long BURST_DELTA_NANOS = 5_000_000;
    /** Longest burst, in arrival time. */
    public static final long MAX_BURST_NANOS = 100_000_000;
    /** Arrival versus local clock jump that resets the state. */
    public static final long ARRIVAL_OFFSET_RESET_NANOS = 3_000_000_000L;
    /** Consecutive reordered groups that reset the state. */
    public static final int REORDERED_RESET_COUNT = 3;

    private boolean currentEmpty = true;
    private long curFirstSend;
    private long curSend;
    private long curFirstArrival;
    private long curComplete;
    private long curSystem;
    private long curSize;

    private boolean prevValid;
    private long prevSend;
    private long prevComplete;
    private long prevSystem;
    private long prevSize;

    private int reordered;

    private long sendDelta;
    private long arrivalDelta;
    private long sizeDelta;

    /**
     * Adds one received packet (in arrival order) and returns true when a group completed, making
     * new deltas available.
     *
     * @param systemNanos local time the packet's feedback was processed
     */
    public boolean computeDeltas(long sendNanos, long arrivalNanos, long systemNanos, int sizeBytes) {
        boolean calculated = false;
        if (currentEmpty) {
            currentEmpty = false;
            curSend = sendNanos;
            curFirstSend = sendNanos;
            curFirstArrival = arrivalNanos;
        } else if (curFirstSend > sendNanos) {
            // reordered within the send order: ignore
            return false;
        } else if (newGroup(arrivalNanos, sendNanos)) {
            if (prevValid) {
                long sd = curSend - prevSend;
                long ad = curComplete - prevComplete;
                long systemDelta = curSystem - prevSystem;
                if (ad - systemDelta >= ARRIVAL_OFFSET_RESET_NANOS) {
                    reset();
                    return false;
                }
                if (ad < 0) {
                    if (++reordered >= REORDERED_RESET_COUNT) {
                        reset();
                    }
                    return false;
                }
                reordered = 0;
                sendDelta = sd;
                arrivalDelta = ad;
                sizeDelta = curSize - prevSize;
                calculated = true;
            }
            prevValid = true;
            prevSend = curSend;
            prevComplete = curComplete;
            prevSystem = curSystem;
            prevSize = curSize;
            curFirstSend = sendNanos;
            curSend = sendNanos;
            curFirstArrival = arrivalNanos;
            curSize = 0;
        } else {
            curSend = Math.max(curSend, sendNanos);
        }
        curSize += sizeBytes;
        curComplete = arrivalNanos;
        curSystem = systemNanos;
        return calculated;
    }

    private boolean newGroup(long arrival, long send) {
        if (belongsToBurst(arrival, send)) {
            return false;
        }
        return send - curFirstSend > SEND_TIME_GROUP_NANOS;
    }

    private boolean belongsToBurst(long arrival, long send) {
        long ad = arrival - curComplete;
        long sd = send - curSend;
        if (sd == 0) {
            return true;
        }
        long propagationDelta = ad - sd;
        return propagationDelta < 0 && ad <= BURST_DELTA_NANOS && arrival - curFirstArrival < MAX_BURST_NANOS;
    }

    /** Forgets all groups. */
    public void reset() {
        currentEmpty = true;
        prevValid = false;
        reordered = 0;
        curSize = 0;
    }

    /** Send-time delta between the last two completed groups. */
    public long sendDeltaNanos() {
        return sendDelta;
    }

    /** Arrival-time delta between the last two completed groups. */
    public long arrivalDeltaNanos() {
        return arrivalDelta;
    }

    /** Size difference between the last two completed groups. */
    public long sizeDeltaBytes() {
        return sizeDelta;
    }
}
