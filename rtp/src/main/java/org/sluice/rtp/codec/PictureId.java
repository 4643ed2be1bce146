package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The picture id field VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) payload descriptors share: the M
 * bit of its first byte selects a 7-bit id in one byte or a 15-bit id in two. Static helpers over
 * absolute buffer indices; callers bounds-check with {@link #byteCount(int)} before reading.
 */
public final class PictureId {

    private PictureId() {
    }

    /** 15 when the M bit of the picture id starting at {@code at} is set, else 7. */
    public static int widthAt(ByteBuf buf, int at) {
        return (buf.getUnsignedByte(at) & 0x80) != 0 ? 15 : 7;
    }

    /** Bytes a picture id of {@code bits} (7 or 15) occupies: 1 or 2. */
    public static int byteCount(int bits) {
        return bits == 15 ? 2 : 1;
    }

    /** The picture id of width {@code bits} at {@code at}, M bit stripped. */
    public static int read(ByteBuf buf, int at, int bits) {
        return bits == 15 ? buf.getUnsignedShort(at) & 0x7fff : buf.getUnsignedByte(at) & 0x7f;
    }

    /**
     * Rewrites the picture id at {@code at} keeping its width {@code bits}: a 15-bit id is written
     * modulo 2^15 with the M bit set, a 7-bit id modulo 128.
     */
    public static void write(ByteBuf buf, int at, int bits, int pictureId) {
        if (bits == 15) {
            buf.setShort(at, 0x8000 | (pictureId & 0x7fff));
        } else {
            buf.setByte(at, pictureId & 0x7f);
        }
    }
}
