package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The picture id field VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) payload descriptors share: the M
 * bit of its first byte selects a 7-bit id in one byte or a 15-bit id in two.
 *
 * <p>An instance remembers where the field sits in the descriptor a view last wrapped (or that it
 * is absent) and reads and rewrites it in place; each descriptor view holds one, allocated with the
 * view, never per packet. The static helpers size the field for allocation-free scans.
 */
public final class PictureId {
    private int index = -1;
    private int bits;

    /** 15 when the M bit of the picture id starting at {@code at} is set, else 7. */
    public static int widthAt(ByteBuf buf, int at) {
        return (buf.getUnsignedByte(at) & 0x80) != 0 ? 15 : 7;
    }

    /** Bytes a picture id of {@code bits} (7 or 15) occupies: 1 or 2. */
    public static int byteCount(int bits) {
        return bits == 15 ? 2 : 1;
    }

    /**
     * Records a picture id at {@code index} bytes into the descriptor starting at {@code offset}
     * (its first byte must be readable) and returns the bytes it occupies, for the caller to
     * bounds-check.
     */
    public int locate(ByteBuf buf, int offset, int index) {
        this.index = index;
        this.bits = widthAt(buf, offset + index);
        return byteCount(bits);
    }

    /** Records that the descriptor carries no picture id. */
    public void clear() {
        index = -1;
        bits = 0;
    }

    /** Whether the last descriptor carried a picture id. */
    public boolean isPresent() {
        return index >= 0;
    }

    /** 7 or 15 when present (M bit), else 0. */
    public int bits() {
        return bits;
    }

    /** The picture id of the descriptor at {@code offset}, M bit stripped, or -1 when absent. */
    public int read(ByteBuf buf, int offset) {
        if (index < 0) {
            return -1;
        }
        int at = offset + index;
        return bits == 15 ? buf.getUnsignedShort(at) & 0x7fff : buf.getUnsignedByte(at) & 0x7f;
    }

    /**
     * Rewrites the picture id in place keeping its width: a 15-bit id is written modulo 2^15 with the
     * M bit set, a 7-bit id modulo 128.
     *
     * @return {@code false} when absent (nothing written)
     */
    public boolean write(ByteBuf buf, int offset, int pictureId) {
        if (index < 0) {
            return false;
        }
        int at = offset + index;
        if (bits == 15) {
            buf.setShort(at, 0x8000 | (pictureId & 0x7fff));
        } else {
            buf.setByte(at, pictureId & 0x7f);
        }
        return true;
    }
}
