package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helper: exact-size buffers from int literals, and byte arrays from buffers. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] array(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A buffer whose capacity is exactly the given bytes. */
    public static ByteBuf buf(int... values) {
        return Unpooled.wrappedBuffer(array(values));
    }

    public static byte[] readable(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** Copies the readable bytes into an exact-size buffer (so reads past the end would throw). */
    public static ByteBuf exact(ByteBuf buf) {
        return Unpooled.wrappedBuffer(ByteBufUtil.getBytes(buf));
    }
}
