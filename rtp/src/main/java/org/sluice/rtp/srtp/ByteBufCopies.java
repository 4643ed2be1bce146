package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;

/**
 * Copies between a {@link ByteBuf} region and a byte array without allocating. With {@code sun.misc.Unsafe}
 * unavailable (JDK 25 by default) Netty's {@code getBytes}/{@code setBytes} on a direct buffer go through a fresh
 * {@code ByteBuffer} duplicate per call; {@link ByteBuf#internalNioBuffer(int, int)} hands out the buffer's own
 * cached NIO view instead, whose bulk {@code get}/{@code put} copy straight from and to native memory. Buffers
 * that are not one direct region (composite, heap) take Netty's ordinary path.
 */
final class ByteBufCopies {

    private ByteBufCopies() {
    }

    /** {@code dst[dstOff, +len) = buf[index, +len)}. */
    static void read(ByteBuf buf, int index, byte[] dst, int dstOff, int len) {
        if (len > 0 && buf.isDirect() && buf.nioBufferCount() == 1) {
            buf.internalNioBuffer(index, len).get(dst, dstOff, len);
        } else {
            buf.getBytes(index, dst, dstOff, len);
        }
    }

    /** {@code buf[index, +len) = src[srcOff, +len)}. */
    static void write(ByteBuf buf, int index, byte[] src, int srcOff, int len) {
        if (len > 0 && buf.isDirect() && buf.nioBufferCount() == 1 && !buf.isReadOnly()) {
            buf.internalNioBuffer(index, len).put(src, srcOff, len);
        } else {
            buf.setBytes(index, src, srcOff, len);
        }
    }
}
