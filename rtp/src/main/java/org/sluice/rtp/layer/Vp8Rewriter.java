package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;

/**
 * One receiver stream's VP8 payload descriptor rewriting (RFC 7741 §4.2): picture id and TL0PICIDX stay
 * continuous across frames the SFU drops ({@link Vp8TemporalFilter}) and across switches between simulcast
 * encodings ({@link #rebase()}), as libwebrtc's VP8 reference finder needs.
 *
 * <p>For each forwarded packet, {@link #rewrite} writes the receiver's descriptor into the outgoing buffer
 * (never into the shared source) and returns the length of the source's descriptor, which the caller skips:
 * the SRTP payload is the written descriptor followed by the source payload after that many bytes. For each
 * dropped packet the caller calls {@link #dropped}, so the rewriter knows which ids to close up.
 *
 * <h2>Ids</h2>
 * <ul>
 *   <li>A picture id, when the source has one, is always written in the 15-bit form (M=1). A forwarded
 *       frame's picture id is the previous forwarded frame's + 1: without loss before the SFU it counts the
 *       forwarded frames. A frame lost before the SFU stays a hole, so the receiver knows it is missing.</li>
 *   <li>TL0PICIDX increments only with forwarded TL0 frames (TID 0, or no TID): a dropped TL0 frame closes up
 *       like a dropped picture id.</li>
 *   <li>{@link #rebase()} (a switch to another encoding, at its key frame): the next picture id is the last
 *       one + 1 and the next TL0PICIDX the last one + 1.</li>
 *   <li>TID, Y, KEYIDX and the other bits are copied.</li>
 * </ul>
 * Late packets (reordered, retransmitted) get the ids their frame was given, for the last
 * {@value IdLine#HISTORY} frames; a packet of a frame that was dropped, or that is older, is refused
 * ({@link #REFUSED}) and must not be sent.
 */
public final class Vp8Rewriter {

    /** {@link #rewrite} result: the descriptor is malformed. */
    public static final int UNPARSEABLE = -1;
    /** {@link #rewrite} result: a late packet whose ids cannot be given consistently; do not send it. */
    public static final int REFUSED = -2;
    /** The longest descriptor {@link #rewrite} writes. */
    public static final int MAX_DESCRIPTOR_LENGTH = 6;

    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private final IdLine pictureIds = new IdLine(15);
    private final IdLine tl0PicIdx = new IdLine(8);

    /**
     * Writes this receiver's descriptor for the VP8 payload {@code src[payloadOffset, +payloadLength)} at
     * {@code out}'s writer index (advancing it; {@code src} is only read).
     *
     * @return the source descriptor's length (source payload bytes the written descriptor replaces),
     *         {@link #UNPARSEABLE} or {@link #REFUSED}; on a negative result nothing is written
     */
    public int rewrite(ByteBuf src, int payloadOffset, int payloadLength, ByteBuf out) {
        Vp8PayloadDescriptor d = descriptor;
        if (!d.wrap(src, payloadOffset, payloadLength)) {
            return UNPARSEABLE;
        }
        int pictureId = -1;
        if (d.hasPictureId()) {
            pictureId = pictureIds.forward(d.pictureId(), d.pictureIdBits());
            if (pictureId < 0) {
                return REFUSED;
            }
        }
        int tl0 = -1;
        if (d.hasTl0PicIdx()) {
            tl0 = tl0PicIdx.forward(d.tl0PicIdx(), 8);
            if (tl0 < 0) {
                return REFUSED;
            }
        }
        int b0 = src.getUnsignedByte(payloadOffset);
        out.writeByte(b0);
        if (d.hasExtension()) {
            out.writeByte(src.getUnsignedByte(payloadOffset + 1));
            if (pictureId >= 0) {
                out.writeShort(0x8000 | pictureId);
            }
            if (tl0 >= 0) {
                out.writeByte(tl0);
            }
            if (d.hasTid() || d.hasKeyIdx()) {
                out.writeByte(src.getUnsignedByte(payloadOffset + d.descriptorLength() - 1));
            }
        }
        return d.descriptorLength();
    }

    /**
     * Records that the SFU drops this packet (its whole frame is dropped): the frame's picture id, and its
     * TL0PICIDX for a TL0 frame, are closed up. Malformed input is ignored.
     */
    public void dropped(ByteBuf src, int payloadOffset, int payloadLength) {
        dropped(src, payloadOffset, payloadLength, -1);
    }

    /**
     * As {@link #dropped(ByteBuf, int, int)}, with the frame's temporal layer known from elsewhere (the dependency
     * descriptor) when {@code temporalId >= 0}: a TL0PICIDX closes up only for a dropped temporal layer 0 frame,
     * whatever the payload descriptor's TID says (it may have none).
     */
    public void dropped(ByteBuf src, int payloadOffset, int payloadLength, int temporalId) {
        Vp8PayloadDescriptor d = descriptor;
        if (!d.wrap(src, payloadOffset, payloadLength)) {
            return;
        }
        if (d.hasPictureId()) {
            pictureIds.drop(d.pictureId(), d.pictureIdBits());
        }
        int tid = temporalId >= 0 ? temporalId : d.tid();
        if (d.hasTl0PicIdx() && tid <= 0) {
            tl0PicIdx.drop(d.tl0PicIdx(), 8);
        }
    }

    /**
     * The stream switches to another source (simulcast encoding), at a key frame: the next forwarded picture
     * id and TL0PICIDX continue at the last ones + 1.
     */
    public void rebase() {
        pictureIds.rebase();
        tl0PicIdx.rebase();
    }

    /** The last picture id written (15 bits), or -1. */
    public int lastPictureId() {
        return pictureIds.lastOut();
    }

    /** The last TL0PICIDX written, or -1. */
    public int lastTl0PicIdx() {
        return tl0PicIdx.lastOut();
    }
}
