package org.sluice.core.forward;

/**
 * What one receiver stream sent lately, by its own sequence number: which source packet each number
 * carried and with which timestamp, and when it was last resent. A receiver's NACK names our
 * numbers; this maps them back to source packets, and only packets this receiver was actually sent
 * can be found (never a skipped layer, never a packet from before a switch). A ring; the
 * receiver's loop only; nothing allocated after construction.
 */
final class SentLog {

    private final int mask;
    private final int[] sequences;
    private final int[] sourceSequences;
    private final InboundStream[] sources;
    private final long[] timestamps;
    private final long[] lastResendNanos;

    /** @param capacity a power of two: how many of the last sent packets can be resent */
    SentLog(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        mask = capacity - 1;
        sequences = new int[capacity];
        sourceSequences = new int[capacity];
        sources = new InboundStream[capacity];
        timestamps = new long[capacity];
        lastResendNanos = new long[capacity];
        java.util.Arrays.fill(sequences, -1);
    }

    void record(int sequence, int sourceSequence, InboundStream source, long timestamp) {
        int slot = sequence & mask;
        sequences[slot] = sequence;
        sourceSequences[slot] = sourceSequence;
        sources[slot] = source;
        timestamps[slot] = timestamp;
        lastResendNanos[slot] = Long.MIN_VALUE;
    }

    /** The slot of our sequence number {@code sequence}, or -1 when it is not (or no longer) logged. */
    int find(int sequence) {
        int slot = sequence & mask;
        return sequences[slot] == (sequence & 0xFFFF) ? slot : -1;
    }

    int sourceSequence(int slot) {
        return sourceSequences[slot];
    }

    InboundStream source(int slot) {
        return sources[slot];
    }

    long timestamp(int slot) {
        return timestamps[slot];
    }

    long lastResendNanos(int slot) {
        return lastResendNanos[slot];
    }

    void resent(int slot, long nowNanos) {
        lastResendNanos[slot] = nowNanos;
    }

    /** Forgets every entry (the receiver stream is rebased onto another source). */
    void forgetSource(InboundStream source) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == source) {
                sources[i] = null;
                sequences[i] = -1;
            }
        }
    }
}
