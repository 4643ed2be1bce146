package org.sluice.rtp.codec.vp9;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.PayloadBounds;
import org.sluice.rtp.codec.PictureId;

/**
 * A reusable view over the VP9 RTP payload descriptor (RFC 9628 §4.2).
 *
 * <pre>
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |I|P|L|F|B|E|V|Z| (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PICTURE ID  | (7 or 15 bits by M)
 *  M:   | EXTENDED PID  |
 *       +-+-+-+-+-+-+-+-+
 *  L:   | TID |U| SID |D|
 *       +-+-+-+-+-+-+-+-+
 *       |   TL0PICIDX   | (non-flexible mode only, F=0)
 *       +-+-+-+-+-+-+-+-+
 * P,F:  | P_DIFF      |N| (flexible mode, up to 3 times)
 *       +-+-+-+-+-+-+-+-+
 *  V:   | SS            | (scalability structure, RFC 9628 §4.2.1)
 * </pre>
 *
 * <p><b>Key frame rule.</b> A packet starts a key frame when {@code B=1}, {@code P=0} and the
 * spatial layer is the lowest ({@code SID=0}, or no layer indices present): RFC 9628 §4.2 defines
 * P=0 as "the frame does not utilize inter-picture prediction", and on spatial layer 0 (which has no
 * lower layer to predict from) such a frame is decodable on its own, i.e. an intra (key) frame.
 * This is also what libwebrtc's VP9 depacketizer uses ({@code P} bit clear means key frame).
 *
 * <p>{@link #wrap} bounds-checks everything once, including the scalability structure; getters read
 * with absolute gets; setters rewrite in place. Nothing is allocated per packet.
 */
public final class Vp9PayloadDescriptor {

    public static final String REASON_BOUNDS = "payload region outside the buffer";
    public static final String REASON_EMPTY = "empty VP9 payload";
    public static final String REASON_TRUNCATED_DESCRIPTOR = "VP9 payload descriptor truncated";
    public static final String REASON_P_DIFF_WITHOUT_PICTURE_ID = "VP9 flexible-mode P_DIFF without a picture id";
    public static final String REASON_TOO_MANY_P_DIFFS = "VP9 descriptor has more than 3 P_DIFFs";
    public static final String REASON_TRUNCATED_SS = "VP9 scalability structure truncated";
    public static final String REASON_NO_PAYLOAD = "VP9 payload descriptor without VP9 payload";

    /** Most reference indices per picture in flexible mode (RFC 9628 §4.2). */
    public static final int MAX_P_DIFFS = 3;
    private static final int MAX_PICTURE_GROUPS = 255;

    private ByteBuf buf;
    private int offset;
    private boolean valid;
    private String invalidReason = REASON_EMPTY;

    private int b0;
    private final PictureId pictureIdField = new PictureId();
    private int layerIndex;
    private int tl0PicIdxIndex;
    private int pDiffIndex;
    private int pDiffCount;
    private int ssIndex;
    private int spatialLayerCount;
    private boolean ssHasResolution;
    private int pictureGroupCount;
    private final int[] pictureGroupIndex = new int[MAX_PICTURE_GROUPS];
    private int descriptorLength;

    /**
     * Points this view at {@code length} bytes of RTP payload starting at absolute {@code offset}.
     *
     * @return {@code true} when the whole descriptor is present and followed by VP9 payload bytes
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        reset();
        if (!PayloadBounds.fits(buf, offset, length)) {
            return fail(REASON_BOUNDS);
        }
        if (length < 1) {
            return fail(REASON_EMPTY);
        }
        int first = buf.getUnsignedByte(offset);
        boolean i = (first & 0x80) != 0;
        boolean p = (first & 0x40) != 0;
        boolean l = (first & 0x20) != 0;
        boolean f = (first & 0x10) != 0;
        boolean v = (first & 0x02) != 0;
        int pos = 1;
        if (i) {
            if (pos >= length) {
                return fail(REASON_TRUNCATED_DESCRIPTOR);
            }
            pos += pictureIdField.locate(buf, offset, pos);
            if (pos > length) {
                return fail(REASON_TRUNCATED_DESCRIPTOR);
            }
        }
        if (l) {
            if (pos >= length) {
                return fail(REASON_TRUNCATED_DESCRIPTOR);
            }
            layerIndex = pos;
            pos++;
            if (!f) {
                if (pos >= length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
                tl0PicIdxIndex = pos;
                pos++;
            }
        }
        if (f && p) {
            // RFC 9628 §4.2: in flexible mode I MUST be 1; P_DIFFs are meaningless without a picture id.
            if (!i) {
                return fail(REASON_P_DIFF_WITHOUT_PICTURE_ID);
            }
            pDiffIndex = pos;
            boolean more = true;
            while (more) {
                if (pDiffCount == MAX_P_DIFFS) {
                    return fail(REASON_TOO_MANY_P_DIFFS);
                }
                if (pos >= length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
                more = (buf.getUnsignedByte(offset + pos) & 0x01) != 0;
                pDiffCount++;
                pos++;
            }
        }
        if (v) {
            pos = readScalabilityStructure(buf, offset, length, pos);
            if (pos < 0) {
                return fail(REASON_TRUNCATED_SS);
            }
        }
        if (pos >= length) {
            return fail(REASON_NO_PAYLOAD);
        }
        this.buf = buf;
        this.offset = offset;
        this.b0 = first;
        this.descriptorLength = pos;
        this.valid = true;
        this.invalidReason = null;
        return true;
    }

    /** Returns the position after the SS, or -1 when it does not fit. */
    private int readScalabilityStructure(ByteBuf buf, int offset, int length, int pos) {
        if (pos >= length) {
            return -1;
        }
        int header = buf.getUnsignedByte(offset + pos);
        ssIndex = pos;
        pos++;
        spatialLayerCount = (header >>> 5) + 1;
        ssHasResolution = (header & 0x10) != 0;
        boolean g = (header & 0x08) != 0;
        if (ssHasResolution) {
            pos += 4 * spatialLayerCount;
            if (pos > length) {
                return -1;
            }
        }
        if (g) {
            if (pos >= length) {
                return -1;
            }
            int groups = buf.getUnsignedByte(offset + pos);
            pos++;
            for (int k = 0; k < groups; k++) {
                if (pos >= length) {
                    return -1;
                }
                pictureGroupIndex[k] = pos;
                int r = (buf.getUnsignedByte(offset + pos) >>> 2) & 0x03;
                pos += 1 + r;
                if (pos > length) {
                    return -1;
                }
            }
            pictureGroupCount = groups;
        }
        return pos;
    }

    private void reset() {
        buf = null;
        valid = false;
        b0 = 0;
        pictureIdField.clear();
        layerIndex = -1;
        tl0PicIdxIndex = -1;
        pDiffIndex = -1;
        pDiffCount = 0;
        ssIndex = -1;
        spatialLayerCount = 0;
        ssHasResolution = false;
        pictureGroupCount = 0;
        descriptorLength = 0;
    }

    private boolean fail(String reason) {
        reset();
        invalidReason = reason;
        return false;
    }

    public boolean isValid() {
        return valid;
    }

    /** Why the last {@link #wrap} failed (a constant), or {@code null} when it succeeded. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Bytes of payload descriptor, scalability structure included; the VP9 payload follows. */
    public int descriptorLength() {
        return descriptorLength;
    }

    /** P: inter-picture predicted. */
    public boolean isInterPicturePredicted() {
        return (b0 & 0x40) != 0;
    }

    /** F: flexible mode. */
    public boolean isFlexibleMode() {
        return (b0 & 0x10) != 0;
    }

    /** B: first packet of a layer frame. */
    public boolean isStartOfFrame() {
        return (b0 & 0x08) != 0;
    }

    /** E: last packet of a layer frame. */
    public boolean isEndOfFrame() {
        return (b0 & 0x04) != 0;
    }

    /** V: the scalability structure is present. */
    public boolean hasScalabilityStructure() {
        return (b0 & 0x02) != 0;
    }

    /** Z: not used as a reference by upper spatial layers. */
    public boolean isNotReferenceForUpperSpatialLayers() {
        return (b0 & 0x01) != 0;
    }

    /** The first packet of a key frame; see the class comment for the rule. */
    public boolean isKeyFrame() {
        return valid && (b0 & 0x48) == 0x08 && (layerIndex < 0 || spatialId() == 0);
    }

    public boolean hasPictureId() {
        return pictureIdField.isPresent();
    }

    /** 7 or 15 when present (M bit), else 0. */
    public int pictureIdBits() {
        return pictureIdField.bits();
    }

    /** The picture id, or -1 when I=0. */
    public int pictureId() {
        return pictureIdField.read(buf, offset);
    }

    /** L: the layer indices are present. */
    public boolean hasLayerIndices() {
        return layerIndex >= 0;
    }

    /** TID, or -1 when L=0. */
    public int temporalId() {
        return layerIndex < 0 ? -1 : buf.getUnsignedByte(offset + layerIndex) >>> 5;
    }

    /** U: switching up point, false when L=0. */
    public boolean isSwitchingUpPoint() {
        return layerIndex >= 0 && (buf.getUnsignedByte(offset + layerIndex) & 0x10) != 0;
    }

    /** SID, or -1 when L=0. */
    public int spatialId() {
        return layerIndex < 0 ? -1 : (buf.getUnsignedByte(offset + layerIndex) >>> 1) & 0x07;
    }

    /** D: inter-layer dependency, false when L=0. */
    public boolean isInterLayerDependent() {
        return layerIndex >= 0 && (buf.getUnsignedByte(offset + layerIndex) & 0x01) != 0;
    }

    public boolean hasTl0PicIdx() {
        return tl0PicIdxIndex >= 0;
    }

    /** TL0PICIDX (non-flexible mode with L=1), or -1. */
    public int tl0PicIdx() {
        return tl0PicIdxIndex < 0 ? -1 : buf.getUnsignedByte(offset + tl0PicIdxIndex);
    }

    /** Number of P_DIFFs in flexible mode (0 to 3). */
    public int pDiffCount() {
        return pDiffCount;
    }

    /** The {@code index}-th reference picture id difference (1 to 127). */
    public int pDiff(int index) {
        checkIndex(index, pDiffCount);
        return buf.getUnsignedByte(offset + pDiffIndex + index) >>> 1;
    }

    /** N_S + 1 from the scalability structure, or 0 without one. */
    public int spatialLayerCount() {
        return spatialLayerCount;
    }

    /** Y: the scalability structure carries per-layer resolutions. */
    public boolean hasSpatialLayerResolutions() {
        return ssHasResolution;
    }

    /** WIDTH of spatial layer {@code layer} from the scalability structure. */
    public int spatialLayerWidth(int layer) {
        checkResolution(layer);
        return buf.getUnsignedShort(offset + ssIndex + 1 + 4 * layer);
    }

    /** HEIGHT of spatial layer {@code layer} from the scalability structure. */
    public int spatialLayerHeight(int layer) {
        checkResolution(layer);
        return buf.getUnsignedShort(offset + ssIndex + 3 + 4 * layer);
    }

    /** N_G: pictures in the group of frames description (0 when G=0 or no SS). */
    public int pictureGroupCount() {
        return pictureGroupCount;
    }

    /** T of picture {@code index} of the group description. */
    public int pictureGroupTemporalId(int index) {
        checkIndex(index, pictureGroupCount);
        return buf.getUnsignedByte(offset + pictureGroupIndex[index]) >>> 5;
    }

    /** U of picture {@code index} of the group description. */
    public boolean pictureGroupSwitchingUpPoint(int index) {
        checkIndex(index, pictureGroupCount);
        return (buf.getUnsignedByte(offset + pictureGroupIndex[index]) & 0x10) != 0;
    }

    /** R (0 to 3): reference count of picture {@code index} of the group description. */
    public int pictureGroupReferenceCount(int index) {
        checkIndex(index, pictureGroupCount);
        return (buf.getUnsignedByte(offset + pictureGroupIndex[index]) >>> 2) & 0x03;
    }

    /** The {@code ref}-th P_DIFF of picture {@code index} of the group description. */
    public int pictureGroupPDiff(int index, int ref) {
        checkIndex(ref, pictureGroupReferenceCount(index));
        return buf.getUnsignedByte(offset + pictureGroupIndex[index] + 1 + ref);
    }

    /** Rewrites the picture id in place keeping its 7/15-bit width (modulo 128 or 2^15). */
    public boolean setPictureId(int pictureId) {
        return pictureIdField.write(buf, offset, pictureId);
    }

    /** Rewrites TL0PICIDX (modulo 256) in place; {@code false} when absent. */
    public boolean setTl0PicIdx(int tl0PicIdx) {
        if (tl0PicIdxIndex < 0) {
            return false;
        }
        buf.setByte(offset + tl0PicIdxIndex, tl0PicIdx & 0xff);
        return true;
    }

    /** Allocation-free key-frame test on the first descriptor bytes (B=1, P=0, SID 0 or absent). */
    public static boolean isKeyFrame(ByteBuf buf, int offset, int length) {
        if (!PayloadBounds.fits(buf, offset, length) || length < 2) {
            return false;
        }
        int first = buf.getUnsignedByte(offset);
        if ((first & 0x48) != 0x08) {
            return false;
        }
        if ((first & 0x20) == 0) {
            return true;
        }
        int pos = 1;
        if ((first & 0x80) != 0) {
            pos += PictureId.byteCount(PictureId.widthAt(buf, offset + 1));
        }
        return pos < length && ((buf.getUnsignedByte(offset + pos) >>> 1) & 0x07) == 0;
    }

    private void checkResolution(int layer) {
        if (!ssHasResolution) {
            throw new IllegalStateException("no spatial layer resolutions in this descriptor");
        }
        checkIndex(layer, spatialLayerCount);
    }

    private static void checkIndex(int index, int count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
    }
}
