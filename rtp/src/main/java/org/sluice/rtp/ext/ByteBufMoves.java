package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;

/** Overlap-safe moves of bytes inside one buffer, with absolute indexes. */
final class ByteBufMoves {

    private ByteBufMoves() {
    }

    /** Copies {@code length} bytes from {@code src} to {@code dst}; the ranges may overlap. */
    static void move(ByteBuf buf, int src, int dst, int length) {
        if (length <= 0 || src == dst) {
            return;
        }
        if (dst < src) {
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                buf.setLong(dst + i, buf.getLong(src + i));
            }
            for (; i < length; i++) {
                buf.setByte(dst + i, buf.getByte(src + i));
            }
        } else {
            int i = length;
            for (; i >= 8; i -= 8) {
                buf.setLong(dst + i - 8, buf.getLong(src + i - 8));
            }
            for (; i > 0; i--) {
                buf.setByte(dst + i - 1, buf.getByte(src + i - 1));
            }
        }
    }
}
