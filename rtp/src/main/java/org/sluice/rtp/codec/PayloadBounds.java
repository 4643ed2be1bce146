package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The one bounds check every codec view makes before reading: the region
 * {@code [offset, offset + length)} must lie inside the written part of the buffer
 * ({@code [0, writerIndex)}), computed without integer overflow.
 */
public final class PayloadBounds {

    private PayloadBounds() {
    }

    /** True when {@code buf} is non-null and holds {@code length} written bytes from absolute {@code offset}. */
    public static boolean fits(ByteBuf buf, int offset, int length) {
        return buf != null && offset >= 0 && length >= 0
                && (long) offset + (long) length <= buf.writerIndex();
    }
}
