package org.sluice.rtp.codec.vp8;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.PayloadBounds;
import org.sluice.rtp.codec.PictureId;

/**
 * A reusable view over a VP8 RTP payload: the payload descriptor of RFC 7741 §4.2, the first byte of
 * the VP8 payload header (§4.3) and, on a key frame's first packet, the key-frame header with the
 * frame size (RFC 6386 §9.1).
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL, 7 or 15 bits by M)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   |
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} validates every offset once; getters then read the buffer with absolute gets and
 * the setters rewrite fields in place. One instance serves one stream (or one thread); nothing is
 * allocated per packet. Getters are meaningful only after {@code wrap} returned {@code true}.
 */
public final class Vp8PayloadDescriptor {

    /** The three start-code bytes of a VP8 key frame (RFC 6386 §9.1). */
    private static final int START_CODE_0 = 0x9d;
    private static final int START_CODE_1 = 0x01;
    private static final int START_CODE_2 = 0x2a;
    /** Frame tag (3) + start code (3) + width (2) + height (2). */
    private static final int KEY_FRAME_HEADER_LENGTH = 10;

    public static final String REASON_BOUNDS = "payload region outside the buffer";
    public static final String REASON_EMPTY = "empty VP8 payload";
    public static final String REASON_TRUNCATED_DESCRIPTOR = "VP8 payload descriptor truncated";
    public static final String REASON_NO_PAYLOAD = "VP8 payload descriptor without VP8 payload";

    private ByteBuf buf;
    private int offset;
    private int length;
    private boolean valid;
    private String invalidReason = REASON_EMPTY;

    private final PictureId pictureIdField = new PictureId();
    private int tl0PicIdxIndex;
    private int tidKeyIdxIndex;
    private boolean hasTid;
    private boolean hasKeyIdx;
    private int descriptorLength;
    private boolean keyFrame;
    private int width;
    private int height;
    private int horizontalScale;
    private int verticalScale;

    /**
     * Points this view at {@code length} bytes of RTP payload starting at absolute {@code offset}.
     *
     * @return {@code true} when the descriptor is complete and followed by at least one payload byte
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = null;
        this.valid = false;
        pictureIdField.clear();
        this.tl0PicIdxIndex = -1;
        this.tidKeyIdxIndex = -1;
        this.hasTid = false;
        this.hasKeyIdx = false;
        this.descriptorLength = 0;
        this.keyFrame = false;
        this.width = -1;
        this.height = -1;
        this.horizontalScale = 0;
        this.verticalScale = 0;
        if (!PayloadBounds.fits(buf, offset, length)) {
            return fail(REASON_BOUNDS);
        }
        if (length < 1) {
            return fail(REASON_EMPTY);
        }
        int b0 = buf.getUnsignedByte(offset);
        int pos = 1;
        if ((b0 & 0x80) != 0) {
            if (pos >= length) {
                return fail(REASON_TRUNCATED_DESCRIPTOR);
            }
            int x = buf.getUnsignedByte(offset + pos);
            pos++;
            if ((x & 0x80) != 0) {
                if (pos >= length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
                pos += pictureIdField.locate(buf, offset, pos);
                if (pos > length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
            }
            if ((x & 0x40) != 0) {
                if (pos >= length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
                tl0PicIdxIndex = pos;
                pos++;
            }
            hasTid = (x & 0x20) != 0;
            hasKeyIdx = (x & 0x10) != 0;
            if (hasTid || hasKeyIdx) {
                if (pos >= length) {
                    return fail(REASON_TRUNCATED_DESCRIPTOR);
                }
                tidKeyIdxIndex = pos;
                pos++;
            }
        }
        if (pos >= length) {
            return fail(REASON_NO_PAYLOAD);
        }
        descriptorLength = pos;
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        // Key frame: P bit (bit 0 of the first payload-header byte) is 0 at the start of partition 0.
        if ((b0 & 0x10) != 0 && (b0 & 0x07) == 0) {
            int header = offset + pos;
            keyFrame = (buf.getUnsignedByte(header) & 0x01) == 0;
            if (keyFrame && length - pos >= KEY_FRAME_HEADER_LENGTH
                    && buf.getUnsignedByte(header + 3) == START_CODE_0
                    && buf.getUnsignedByte(header + 4) == START_CODE_1
                    && buf.getUnsignedByte(header + 5) == START_CODE_2) {
                int w = buf.getUnsignedShortLE(header + 6);
                int h = buf.getUnsignedShortLE(header + 8);
                width = w & 0x3fff;
                horizontalScale = w >>> 14;
                height = h & 0x3fff;
                verticalScale = h >>> 14;
            }
        }
        valid = true;
        invalidReason = null;
        return true;
    }

    public boolean isValid() {
        return valid;
    }

    /** Why the last {@link #wrap} failed (a constant), or {@code null} when it succeeded. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Bytes of payload descriptor (1 to 6); the VP8 payload starts after them. */
    public int descriptorLength() {
        return descriptorLength;
    }

    /** X: the extension byte is present. */
    public boolean hasExtension() {
        return (b0() & 0x80) != 0;
    }

    /** N: a non-reference frame, which may be dropped. */
    public boolean isNonReference() {
        return (b0() & 0x20) != 0;
    }

    /** S: the packet starts a VP8 partition. */
    public boolean isStartOfPartition() {
        return (b0() & 0x10) != 0;
    }

    /** PID: the partition index (0 to 7). */
    public int partitionIndex() {
        return b0() & 0x07;
    }

    /** S=1 and PID=0: the first packet of a frame. */
    public boolean isStartOfFrame() {
        return (b0() & 0x17) == 0x10;
    }

    /** The first packet of a key frame (start of frame and the payload header's P bit is 0). */
    public boolean isKeyFrame() {
        return keyFrame;
    }

    public boolean hasPictureId() {
        return pictureIdField.isPresent();
    }

    /** 7 or 15 when a picture id is present (M bit), else 0. */
    public int pictureIdBits() {
        return pictureIdField.bits();
    }

    /** The picture id, or -1 when absent. */
    public int pictureId() {
        return pictureIdField.read(buf, offset);
    }

    public boolean hasTl0PicIdx() {
        return tl0PicIdxIndex >= 0;
    }

    /** TL0PICIDX, or -1 when absent. */
    public int tl0PicIdx() {
        return tl0PicIdxIndex < 0 ? -1 : buf.getUnsignedByte(offset + tl0PicIdxIndex);
    }

    /** T: the TID and Y fields are meaningful. */
    public boolean hasTid() {
        return hasTid;
    }

    /** Temporal layer index (0 to 3), or -1 when T=0. */
    public int tid() {
        return hasTid ? buf.getUnsignedByte(offset + tidKeyIdxIndex) >>> 6 : -1;
    }

    /** Y: layer sync (depends only on the base layer), false when T=0. */
    public boolean layerSync() {
        return hasTid && (buf.getUnsignedByte(offset + tidKeyIdxIndex) & 0x20) != 0;
    }

    public boolean hasKeyIdx() {
        return hasKeyIdx;
    }

    /** Temporal key frame index (0 to 31), or -1 when K=0. */
    public int keyIdx() {
        return hasKeyIdx ? buf.getUnsignedByte(offset + tidKeyIdxIndex) & 0x1f : -1;
    }

    /** Whether this key-frame packet carried a readable frame size (start code 0x9d 0x01 0x2a). */
    public boolean hasResolution() {
        return width >= 0;
    }

    /** Key-frame width in pixels (14 bits), or -1 when not a key-frame start or the header is cut. */
    public int width() {
        return width;
    }

    /** Key-frame height in pixels (14 bits), or -1. */
    public int height() {
        return height;
    }

    /** The 2-bit horizontal upscaling code of the key-frame header (RFC 6386 §9.1). */
    public int horizontalScale() {
        return horizontalScale;
    }

    /** The 2-bit vertical upscaling code of the key-frame header. */
    public int verticalScale() {
        return verticalScale;
    }

    /**
     * Rewrites the picture id in place, keeping its width: a 15-bit id is written modulo 2^15, a 7-bit
     * id modulo 128.
     *
     * @return {@code false} when this packet has no picture id
     */
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

    /** Rewrites TID (0 to 3), keeping Y and KEYIDX; {@code false} when T=0. */
    public boolean setTid(int tid) {
        if (!hasTid) {
            return false;
        }
        int at = offset + tidKeyIdxIndex;
        buf.setByte(at, ((tid & 0x03) << 6) | (buf.getUnsignedByte(at) & 0x3f));
        return true;
    }

    /** Rewrites KEYIDX (modulo 32), keeping TID and Y; {@code false} when K=0. */
    public boolean setKeyIdx(int keyIdx) {
        if (!hasKeyIdx) {
            return false;
        }
        int at = offset + tidKeyIdxIndex;
        buf.setByte(at, (buf.getUnsignedByte(at) & 0xe0) | (keyIdx & 0x1f));
        return true;
    }

    /**
     * Allocation-free key-frame test without a view: the first packet of a VP8 key frame.
     * Malformed input answers {@code false}.
     */
    public static boolean isKeyFrame(ByteBuf buf, int offset, int length) {
        if (!PayloadBounds.fits(buf, offset, length) || length < 1) {
            return false;
        }
        int b0 = buf.getUnsignedByte(offset);
        if ((b0 & 0x17) != 0x10) {
            return false;
        }
        int pos = 1;
        if ((b0 & 0x80) != 0) {
            if (pos >= length) {
                return false;
            }
            int x = buf.getUnsignedByte(offset + pos);
            pos++;
            if ((x & 0x80) != 0) {
                if (pos >= length) {
                    return false;
                }
                pos += PictureId.byteCount(PictureId.widthAt(buf, offset + pos));
            }
            if ((x & 0x40) != 0) {
                pos++;
            }
            if ((x & 0x30) != 0) {
                pos++;
            }
        }
        return pos < length && (buf.getUnsignedByte(offset + pos) & 0x01) == 0;
    }

    private int b0() {
        return valid ? buf.getUnsignedByte(offset) : 0;
    }

    private boolean fail(String reason) {
        pictureIdField.clear();
        tl0PicIdxIndex = -1;
        tidKeyIdxIndex = -1;
        hasTid = false;
        hasKeyIdx = false;
        invalidReason = reason;
        return false;
    }
}
