package org.sluice.bandwidth.history;

import java.util.Arrays;

/**
 * Per-packet results of one transport-cc feedback, in the order the feedback reports them
 * (transport sequence order). Filled by {@link SendHistory#onFeedback}; the arrays are reused and
 * only grow (to at most the history's capacity), so steady-state feedback allocates nothing.
 *
 * <p>Arrival times are on the receiver's clock (feedback reference time unwrapped across
 * feedbacks), in nanoseconds; only differences between them are meaningful.
 */
public final class PacketResults {
    /** Arrival time of a packet reported lost. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;

    private long[] sequence;
    private long[] sendNanos;
    private long[] arrivalNanos;
    private int[] sizes;
    private int[] probeClusterIds;
    private boolean[] retransmissionOrPadding;
    private int count;
    private int received;
    private long feedbackNanos;
    private long inFlightBytesAfter;

    /** Results with room for {@code initialCapacity} packets before the arrays first grow. */
    public PacketResults(int initialCapacity) {
        int c = Math.max(1, initialCapacity);
        sequence = new long[c];
        sendNanos = new long[c];
        arrivalNanos = new long[c];
        sizes = new int[c];
        probeClusterIds = new int[c];
        retransmissionOrPadding = new boolean[c];
    }

    /** Results with room for 256 packets before growing. */
    public PacketResults() {
        this(256);
    }

    void reset(long nowNanos) {
        count = 0;
        received = 0;
        feedbackNanos = nowNanos;
    }

    void add(long seq, long sendTime, long arrivalTime, int size, int probeClusterId, boolean padding) {
        if (count == sequence.length) {
            grow();
        }
        sequence[count] = seq;
        sendNanos[count] = sendTime;
        arrivalNanos[count] = arrivalTime;
        sizes[count] = size;
        probeClusterIds[count] = probeClusterId;
        retransmissionOrPadding[count] = padding;
        count++;
        if (arrivalTime != NOT_RECEIVED) {
            received++;
        }
    }

    private void grow() {
        int c = sequence.length * 2;
        sequence = Arrays.copyOf(sequence, c);
        sendNanos = Arrays.copyOf(sendNanos, c);
        arrivalNanos = Arrays.copyOf(arrivalNanos, c);
        sizes = Arrays.copyOf(sizes, c);
        probeClusterIds = Arrays.copyOf(probeClusterIds, c);
        retransmissionOrPadding = Arrays.copyOf(retransmissionOrPadding, c);
    }

    void inFlightBytesAfter(long bytes) {
        inFlightBytesAfter = bytes;
    }

    /** Packets in this result (received and lost). */
    public int count() {
        return count;
    }

    /** Packets reported received. */
    public int receivedCount() {
        return received;
    }

    /** Packets reported lost. */
    public int lostCount() {
        return count - received;
    }

    /** Local time the feedback was processed. */
    public long feedbackNanos() {
        return feedbackNanos;
    }

    /** Bytes still in flight once this feedback was applied. */
    public long inFlightBytesAfter() {
        return inFlightBytesAfter;
    }

    /** Unwrapped transport sequence number of packet {@code i}. */
    public long sequence(int i) {
        return sequence[i];
    }

    /** Local send time of packet {@code i}. */
    public long sendNanos(int i) {
        return sendNanos[i];
    }

    /** Arrival time of packet {@code i} on the receiver's clock, or {@link #NOT_RECEIVED}. */
    public long arrivalNanos(int i) {
        return arrivalNanos[i];
    }

    /** Whether packet {@code i} was received. */
    public boolean isReceived(int i) {
        return arrivalNanos[i] != NOT_RECEIVED;
    }

    /** Size of packet {@code i} in bytes, as given to {@link SendHistory#onSent}. */
    public int sizeBytes(int i) {
        return sizes[i];
    }

    /** Probe cluster of packet {@code i}, or -1. */
    public int probeClusterId(int i) {
        return probeClusterIds[i];
    }

    /** Whether packet {@code i} was a retransmission or padding. */
    public boolean isRetransmissionOrPadding(int i) {
        return retransmissionOrPadding[i];
    }
}
