package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;

/**
 * One receiver stream's VP8 temporal layer selection: forwards the frames whose TID is at most the current
 * layer, which follows the {@linkplain #setTarget target} as fast as the stream allows.
 *
 * <h2>Whole frames</h2>
 * The decision is taken at the first packet seen of a frame and applied to all of its packets, so no frame
 * is partially forwarded. A frame is identified by its RTP timestamp ({@link #decide(ByteBuf, int, int, long)},
 * preferred), or without one by its picture id, or when there is none by the start-of-frame bit (S=1,
 * PID=0). The decisions of the current and the previous frame are remembered for late packets; an older
 * packet is decided by its TID alone, without switching.
 *
 * <h2>Switching rule</h2>
 * <ul>
 *   <li>The filter starts (and after {@link #reset()} restarts) waiting for a key frame; until the first
 *       packet of one arrives everything is dropped. A key frame sets the current layer to the target.</li>
 *   <li>Down: at the next frame boundary (any new frame). No lower layer references a higher one.</li>
 *   <li>Up: only at a frame whose descriptor has Y=1 (layer sync: it references only the base layer) with
 *       a TID above the current layer and at most the target; the current layer becomes that TID. A TL0
 *       frame alone is not a switch point: higher-layer frames after it may still reference higher-layer
 *       frames before it, which were dropped; encoders set Y on the first frames of each layer after the TL0
 *       frame that breaks that chain. Further steps up wait for the next Y frame of a higher layer.</li>
 * </ul>
 * A stream without TIDs (T=0) is TL0 only: everything is forwarded once started.
 *
 * <p>Pair it with a {@link Vp8Rewriter}: {@code rewrite} forwarded packets, report dropped ones with
 * {@code dropped}, so picture ids stay consecutive.
 */
public final class Vp8TemporalFilter {

    /** The highest VP8 TID (2 bits). */
    public static final int MAX_TEMPORAL_ID = 3;

    private static final long NO_FRAME = Long.MIN_VALUE;
    private static final long KEY_PICTURE_ID = 1L << 40;

    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private int target = MAX_TEMPORAL_ID;
    private int current = -1;
    private long frame = NO_FRAME;
    private int frameDecision;
    private long previousFrame = NO_FRAME;
    private int previousDecision;

    /** Selects temporal layers 0 to {@code maxTemporalId} (clamped to 0..3). */
    public void setTarget(int maxTemporalId) {
        target = Math.max(0, Math.min(MAX_TEMPORAL_ID, maxTemporalId));
    }

    /** The target layer. */
    public int target() {
        return target;
    }

    /** The layer currently forwarded up to, or -1 while waiting for a key frame. */
    public int current() {
        return current;
    }

    /** Waits for a key frame again (a new source); keeps the target. */
    public void reset() {
        current = -1;
        frame = NO_FRAME;
        previousFrame = NO_FRAME;
    }

    /**
     * Decides a packet of the frame with RTP timestamp {@code rtpTimestamp}: {@link LayerDecision#FORWARD} or
     * {@link LayerDecision#DROP} (also for a malformed descriptor).
     */
    public int decide(ByteBuf src, int payloadOffset, int payloadLength, long rtpTimestamp) {
        if (!descriptor.wrap(src, payloadOffset, payloadLength)) {
            return LayerDecision.DROP;
        }
        long key = rtpTimestamp & 0xffff_ffffL;
        if (key == frame) {
            return frameDecision;
        }
        if (key == previousFrame) {
            return previousDecision;
        }
        if (frame != NO_FRAME && (int) (key - frame) < 0) {
            return layerDecision(); // older than the current frame: no switching
        }
        return newFrame(key);
    }

    /**
     * Decides a packet without its RTP timestamp: frames are told apart by picture id, or by the
     * start-of-frame bit when the stream has none.
     */
    public int decide(ByteBuf src, int payloadOffset, int payloadLength) {
        Vp8PayloadDescriptor d = descriptor;
        if (!d.wrap(src, payloadOffset, payloadLength)) {
            return LayerDecision.DROP;
        }
        if (d.hasPictureId()) {
            long key = KEY_PICTURE_ID | d.pictureId();
            if (key == frame) {
                return frameDecision;
            }
            if (key == previousFrame) {
                return previousDecision;
            }
            if (frame != NO_FRAME && (frame & KEY_PICTURE_ID) != 0 && olderPictureId(d, (int) frame)) {
                return layerDecision();
            }
            return newFrame(key);
        }
        if (d.isStartOfFrame() || frame == NO_FRAME) {
            return newFrame(frame == NO_FRAME ? 0 : (frame + 1) & 0xff_ffff_ffffL);
        }
        return frameDecision;
    }

    private static boolean olderPictureId(Vp8PayloadDescriptor d, int last) {
        int bits = d.pictureIdBits();
        int mask = (1 << bits) - 1;
        int delta = (d.pictureId() - last) & mask;
        return delta >= (1 << (bits - 1));
    }

    private int newFrame(long key) {
        Vp8PayloadDescriptor d = descriptor;
        int tid = Math.max(0, d.tid());
        if (d.isKeyFrame()) {
            current = target;
        } else if (current >= 0) {
            if (target < current) {
                current = target;
            } else if (target > current && d.layerSync() && tid > current && tid <= target) {
                current = tid;
            }
        }
        previousFrame = frame;
        previousDecision = frameDecision;
        frame = key;
        frameDecision = layerDecision();
        return frameDecision;
    }

    private int layerDecision() {
        return current >= 0 && Math.max(0, descriptor.tid()) <= current ? LayerDecision.FORWARD : LayerDecision.DROP;
    }
}
