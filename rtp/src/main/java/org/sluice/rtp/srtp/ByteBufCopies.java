package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * Copies between a {@link ByteBuf} region and a byte array without allocating.
 *
 * <p>Where Netty has {@code sun.misc.Unsafe} (JDK 17 to 24 by default) its {@code getBytes}/{@code setBytes} copy
 * native memory straight to and from the array and allocate nothing, so those are used. The buffer's own NIO view
 * ({@link ByteBuf#internalNioBuffer(int, int)}) is not: a pooled buffer drops that cached view whenever it is
 * recycled, so on the forwarding path, where every packet is a freshly allocated buffer, the first call on each
 * one allocates a {@code ByteBuffer} duplicate, i.e. one per packet. Without {@code Unsafe} (JDK 25 by default)
 * {@code getBytes}/{@code setBytes} on a direct buffer allocate a duplicate on every call, so there the cached view
 * is the lesser cost (one per buffer, not one per copy). Buffers that are not one direct region (composite, heap)
 * take Netty's ordinary path.
 */
final class ByteBufCopies {

    private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

    private ByteBufCopies() {
    }

    /** {@code dst[dstOff, +len) = buf[index, +len)}. */
    static void read(ByteBuf buf, int index, byte[] dst, int dstOff, int len) {
        if (len > 0 && !UNSAFE && buf.isDirect() && buf.nioBufferCount() == 1) {
            buf.internalNioBuffer(index, len).get(dst, dstOff, len);
        } else {
            buf.getBytes(index, dst, dstOff, len);
        }
    }

    /**
     * {@code dst[at, +len) = buf[index, +len)} for a direct {@code dst} at native address {@code dstAddress};
     * {@code window} is a view of {@code dst} (its own duplicate, kept by the caller) whose position and limit this
     * may set. A buffer with a memory address (Netty with {@code Unsafe}) is copied raw, after the bounds check
     * Netty would make: Netty's own {@code setBytes(int, ByteBuffer)} on its adaptive allocator's buffers makes a
     * NIO view per call. Allocates nothing per call otherwise under the same rule as the array copies.
     */
    static void read(ByteBuf buf, int index, ByteBuffer dst, long dstAddress, ByteBuffer window, int at, int len) {
        if (len <= 0) {
            return;
        }
        if (buf.hasArray()) {
            dst.put(at, buf.array(), buf.arrayOffset() + index, len);
        } else if (UNSAFE && buf.hasMemoryAddress()) {
            checkRange(buf, index, len, dst, at);
            PlatformDependent.copyMemory(buf.memoryAddress() + index, dstAddress + at, len);
        } else if (!UNSAFE && buf.isDirect() && buf.nioBufferCount() == 1) {
            ByteBuffer src = buf.internalNioBuffer(index, len);
            dst.put(at, src, src.position(), len);
        } else {
            window.clear().position(at).limit(at + len);
            buf.getBytes(index, window);
        }
    }

    /**
     * {@code buf[index, +len) = src[at, +len)}, as
     * {@link #read(ByteBuf, int, ByteBuffer, long, ByteBuffer, int, int)}.
     */
    static void write(ByteBuf buf, int index, ByteBuffer src, long srcAddress, ByteBuffer window, int at, int len) {
        if (len <= 0) {
            return;
        }
        if (buf.hasArray()) {
            src.get(at, buf.array(), buf.arrayOffset() + index, len);
        } else if (UNSAFE && buf.hasMemoryAddress() && !buf.isReadOnly()) {
            checkRange(buf, index, len, src, at);
            PlatformDependent.copyMemory(srcAddress + at, buf.memoryAddress() + index, len);
        } else if (!UNSAFE && buf.isDirect() && buf.nioBufferCount() == 1 && !buf.isReadOnly()) {
            ByteBuffer dst = buf.internalNioBuffer(index, len);
            dst.put(dst.position(), src, at, len);
        } else {
            window.clear().position(at).limit(at + len);
            buf.setBytes(index, window);
        }
    }

    /** The bounds Netty would check before a raw copy between {@code buf} and {@code block}. */
    private static void checkRange(ByteBuf buf, int index, int len, ByteBuffer block, int at) {
        if (index < 0 || len < 0 || index > buf.capacity() - len || at < 0 || at > block.capacity() - len) {
            throw new IndexOutOfBoundsException("copy of " + len + " bytes at " + index + " of a buffer of "
                    + buf.capacity() + ", at " + at + " of a block of " + block.capacity());
        }
    }

    /** {@code buf[index, +len) = src[srcOff, +len)}. */
    static void write(ByteBuf buf, int index, byte[] src, int srcOff, int len) {
        if (len > 0 && !UNSAFE && buf.isDirect() && buf.nioBufferCount() == 1 && !buf.isReadOnly()) {
            buf.internalNioBuffer(index, len).put(src, srcOff, len);
        } else {
            buf.setBytes(index, src, srcOff, len);
        }
    }
}
