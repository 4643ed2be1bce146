package org.sluice.loadgen.check;

/**
 * Continuity of one received SSRC. The SFU rewrites SSRC and sequence numbers per viewer, so this
 * checks the viewer's own sequence line (gaps, late or duplicate packets) and, through the payload
 * stamp, the publisher's origin sequence: a step in one must be the same step in the other, and the
 * packets between the first one received and the last one the publisher sent are what was expected.
 */
public final class StreamTracker {

    private final long ssrc;
    private int streamId = -1;
    private long received;
    private long late;
    private long sequenceGaps;
    private long originMismatches;
    private long streamSwitches;
    private int highestSequence = -1;
    private long firstOrigin = -1;
    private long lastOrigin = -1;
    private long keyFrameTimestamp = -1;

    public StreamTracker(long ssrc) {
        this.ssrc = ssrc;
    }

    public long ssrc() {
        return ssrc;
    }

    /** One packet with RTP {@code sequence} whose stamp named {@code stampStreamId} and {@code originSequence}. */
    public void onPacket(int sequence, int stampStreamId, int originSequence) {
        long origin = originSequence & 0xFFFFFFFFL;
        if (highestSequence < 0) {
            highestSequence = sequence;
            streamId = stampStreamId;
            firstOrigin = origin;
            lastOrigin = origin;
            received++;
            return;
        }
        if (stampStreamId != streamId) {
            streamSwitches++; // another publisher's bytes on this SSRC
            streamId = stampStreamId;
            highestSequence = sequence;
            firstOrigin = origin;
            lastOrigin = origin;
            received++;
            return;
        }
        int step = (short) (sequence - highestSequence);
        if (step <= 0) {
            late++;
            return;
        }
        sequenceGaps += step - 1;
        if (origin - lastOrigin != step) {
            originMismatches++;
        }
        highestSequence = sequence;
        lastOrigin = origin;
        received++;
    }

    /**
     * Whether a video packet of RTP {@code timestamp} belongs to a key frame, given whether it is a frame's first
     * packet and, if so, a key frame's: a key frame's first packet starts one, an inter frame's ends it, and the
     * packets between with the same timestamp are its.
     */
    public boolean inKeyFrame(long timestamp, boolean startOfFrame, boolean keyFrame) {
        if (startOfFrame) {
            keyFrameTimestamp = keyFrame ? timestamp : -1;
        }
        return keyFrameTimestamp == timestamp;
    }

    public int streamId() {
        return streamId;
    }

    /** Packets received in order (late and duplicate ones not counted). */
    public long received() {
        return received;
    }

    public long late() {
        return late;
    }

    public long sequenceGaps() {
        return sequenceGaps;
    }

    /** Steps where the viewer's sequence and the publisher's origin sequence moved apart. */
    public long originMismatches() {
        return originMismatches;
    }

    public long streamSwitches() {
        return streamSwitches;
    }

    /** The first origin sequence received, or -1. */
    public long firstOrigin() {
        return firstOrigin;
    }

    public long lastOrigin() {
        return lastOrigin;
    }

    /**
     * Packets expected given that the publisher sent origins up to {@code publisherSent - 1}: from the
     * first one received on. 0 before anything arrived.
     */
    public long expected(long publisherSent) {
        return firstOrigin < 0 ? 0 : Math.max(0, publisherSent - firstOrigin);
    }
}
