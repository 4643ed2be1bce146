package org.sluice.core.forward;

/**
 * The keyframe of a layer a receiver is switching to, gathered until it is whole in the receiver loop's
 * {@link PacketCache}: from the packet that starts it to the packet with the marker bit and the same timestamp,
 * with every sequence number between them held. Until then the receiver keeps the layer it is shown; once whole,
 * the frame is sent from the cache, so the switch starts at a keyframe the receiver can decode at once even when
 * some of its packets reached us late (repaired by a NACK to the publisher). Media path only; allocates nothing.
 */
final class PendingKeyframe {

    /** A keyframe spanning more packets than this is not gathered (the cache might not hold it whole). */
    static final int MAX_PACKETS = 256;
    /** A keyframe not whole after this long is given up (the next one is asked for). */
    static final long MAX_WAIT_NANOS = 1_000_000_000L;

    private int start = -1;
    private long timestamp;
    private int end = -1;
    private int highest;
    private long sinceNanos;

    boolean active() {
        return start >= 0;
    }

    /** The first packet of a keyframe, {@code sequence} with RTP timestamp {@code rtpTimestamp}, arrived. */
    void begin(int sequence, long rtpTimestamp, long nowNanos) {
        start = sequence & 0xFFFF;
        timestamp = rtpTimestamp;
        end = -1;
        highest = start;
        sinceNanos = nowNanos;
    }

    /** Another packet of the source arrived; returns false for one from before the keyframe (not part of it). */
    boolean note(int sequence, long rtpTimestamp, boolean marker) {
        sequence &= 0xFFFF;
        int offset = (sequence - start) & 0xFFFF;
        if (offset >= 0x8000) {
            return false;
        }
        if (offset > ((highest - start) & 0xFFFF)) {
            highest = sequence;
        }
        if (marker && rtpTimestamp == timestamp && (end < 0 || offset < ((end - start) & 0xFFFF))) {
            end = sequence;
        }
        return true;
    }

    /** Whether waiting for this keyframe has lasted too long. */
    boolean expired(long nowNanos) {
        return nowNanos - sinceNanos >= MAX_WAIT_NANOS;
    }

    /**
     * Whether the keyframe is whole: its last packet arrived and every packet from its first to its last is
     * {@code current} (the packet in hand, not cached yet) or held by {@code cache}. A keyframe longer than
     * {@link #MAX_PACKETS} counts as whole once its last packet arrived.
     */
    boolean complete(int current, PacketCache cache, long nowNanos) {
        if (end < 0) {
            return false;
        }
        int span = (end - start) & 0xFFFF;
        if (span >= MAX_PACKETS) {
            return true;
        }
        for (int i = 0; i <= span; i++) {
            int sequence = (start + i) & 0xFFFF;
            if (sequence != current && (cache == null || cache.get(sequence, nowNanos) == null)) {
                return false;
            }
        }
        return true;
    }

    /** The keyframe's RTP timestamp. */
    long timestamp() {
        return timestamp;
    }

    /** The keyframe's first sequence number. */
    int start() {
        return start;
    }

    /** The highest sequence number seen since the keyframe began. */
    int highest() {
        return highest;
    }

    void clear() {
        start = -1;
        end = -1;
    }
}
