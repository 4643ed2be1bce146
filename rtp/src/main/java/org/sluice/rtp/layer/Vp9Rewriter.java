package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

/**
 * One receiver stream's VP9 payload descriptor rewriting (RFC 9628 §4.2), the VP9 counterpart of
 * {@link Vp8Rewriter}: {@link #rewrite} writes the receiver's descriptor into the outgoing buffer and returns
 * the source descriptor's length; {@link #dropped} reports packets the {@link Vp9LayerFilter} dropped;
 * {@link #rebase()} continues the ids after a switch to another source.
 *
 * <h2>Ids</h2>
 * <ul>
 *   <li>A picture id, when present, is always written in the 15-bit form (M=1).</li>
 *   <li><b>Flexible mode</b> (F=1): a picture the filter dropped entirely (its base layer reported dropped) is
 *       closed up, so forwarded pictures have consecutive picture ids (without loss before
 *       the SFU); each P_DIFF is recomputed from the rewritten ids of the picture and its reference (kept
 *       when the reference is unknown to the rewriter).</li>
 *   <li><b>Non-flexible mode</b> (F=0): the picture ids keep the source's spacing; only {@link #rebase()}
 *       shifts them. References are implied by the scalability structure's group of pictures, which a
 *       receiver indexes by picture id distance (libwebrtc's VP9 reference finder takes
 *       {@code (pid - pid_start) % N_G}), so closing up dropped temporal layers would give it the wrong
 *       references; a hole above the forwarded TIDs is what it expects. TL0PICIDX increments only with
 *       forwarded TL0 pictures and continues across {@link #rebase()}.</li>
 * </ul>
 * Layer indices, flags and the scalability structure are copied. A late packet gets its picture's ids for
 * the last {@value IdLine#HISTORY} pictures; a packet of a picture that was closed up, or that is older,
 * is {@link #REFUSED}.
 */
public final class Vp9Rewriter {

    /** {@link #rewrite} result: the descriptor is malformed. */
    public static final int UNPARSEABLE = -1;
    /** {@link #rewrite} result: a late packet whose ids cannot be given consistently; do not send it. */
    public static final int REFUSED = -2;

    private final Vp9PayloadDescriptor descriptor = new Vp9PayloadDescriptor();
    private final IdLine pictureIds = new IdLine(15);
    private final IdLine tl0PicIdx = new IdLine(8);

    /**
     * Writes this receiver's descriptor for the VP9 payload {@code src[payloadOffset, +payloadLength)} at
     * {@code out}'s writer index ({@code src} is only read).
     *
     * @return the source descriptor's length, {@link #UNPARSEABLE} or {@link #REFUSED}; on a negative result
     *         nothing is written
     */
    public int rewrite(ByteBuf src, int payloadOffset, int payloadLength, ByteBuf out) {
        Vp9PayloadDescriptor d = descriptor;
        if (!d.wrap(src, payloadOffset, payloadLength)) {
            return UNPARSEABLE;
        }
        int bits = d.pictureIdBits();
        int sourcePictureId = d.pictureId();
        int pictureId = -1;
        if (d.hasPictureId()) {
            pictureId = pictureIds.forward(sourcePictureId, bits);
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
        int length = d.descriptorLength();
        out.writeByte(src.getUnsignedByte(payloadOffset));
        int from = 1;
        if (pictureId >= 0) {
            out.writeShort(0x8000 | pictureId);
            from += bits == 15 ? 2 : 1;
        }
        if (d.hasLayerIndices()) {
            out.writeByte(src.getUnsignedByte(payloadOffset + from));
            from++;
            if (tl0 >= 0) {
                out.writeByte(tl0);
                from++;
            }
        }
        int pDiffs = d.pDiffCount();
        for (int k = 0; k < pDiffs; k++) {
            int raw = src.getUnsignedByte(payloadOffset + from);
            int diff = raw >>> 1;
            int reference = pictureIds.lookup(sourcePictureId - diff, bits);
            if (reference >= 0) {
                int rewritten = (pictureId - reference) & 0x7fff;
                if (rewritten >= 1 && rewritten <= 127) {
                    diff = rewritten;
                }
            }
            out.writeByte(diff << 1 | raw & 0x01);
            from++;
        }
        for (; from < length; from++) {
            out.writeByte(src.getUnsignedByte(payloadOffset + from)); // the scalability structure
        }
        return length;
    }

    /**
     * Records that the SFU drops this packet. In flexible mode a picture whose base spatial layer is dropped
     * (so the whole picture is, by the filter's rules) is closed up; a dropped TL0 picture's TL0PICIDX is
     * closed up. Malformed input is ignored.
     */
    public void dropped(ByteBuf src, int payloadOffset, int payloadLength) {
        Vp9PayloadDescriptor d = descriptor;
        if (!d.wrap(src, payloadOffset, payloadLength)) {
            return;
        }
        // Only a dropped base-layer frame drops its picture: upper layers of a forwarded picture are dropped
        // by spatial selection, and may even arrive before the base layer.
        if (d.hasPictureId() && d.isFlexibleMode() && d.spatialId() <= 0) {
            pictureIds.drop(d.pictureId(), d.pictureIdBits());
        }
        if (d.hasTl0PicIdx() && d.temporalId() == 0 && d.spatialId() == 0) {
            tl0PicIdx.drop(d.tl0PicIdx(), 8);
        }
    }

    /** The stream switches to another source at a key frame: picture id and TL0PICIDX continue at last + 1. */
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
