package org.sluice.rtp.codec.av1;

import io.netty.buffer.ByteBuf;

/**
 * A reusable, bounds-checked MSB-first bit reader over a {@code ByteBuf} region, with the AV1
 * descriptors {@code f(n)} and {@code ns(n)} (AV1 bitstream specification §4.10.7, used by the
 * dependency descriptor, AV1 RTP specification Appendix A).
 *
 * <p>Reading past the end never throws and never touches bytes outside the region: it returns 0,
 * moves the position to the end and latches {@link #overrun()}, which the caller checks once.
 */
public final class Av1BitReader {

    private ByteBuf buf;
    private int offset;
    private int bitLength;
    private int position;
    private boolean overrun;

    /** Points the reader at {@code length} bytes from absolute {@code offset}; the caller checked bounds. */
    public void wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.bitLength = length * 8;
        this.position = 0;
        this.overrun = false;
    }

    /** {@code f(n)} for 0 &lt;= n &lt;= 32, as an unsigned value. */
    public long readBitsLong(int n) {
        if (n <= 16) {
            return readBits(n);
        }
        long high = readBits(n - 16);
        return (high << 16) | readBits(16);
    }

    /** {@code f(n)} for 0 &lt;= n &lt;= 16. */
    public int readBits(int n) {
        if (n <= 0) {
            return 0;
        }
        if (overrun || n > bitLength - position) {
            overrun = true;
            position = bitLength;
            return 0;
        }
        int value = 0;
        while (n > 0) {
            int bitInByte = position & 7;
            int available = 8 - bitInByte;
            int take = Math.min(available, n);
            int b = buf.getUnsignedByte(offset + (position >>> 3));
            value = (value << take) | ((b >>> (available - take)) & ((1 << take) - 1));
            position += take;
            n -= take;
        }
        return value;
    }

    /** {@code f(1)} as a boolean. */
    public boolean readFlag() {
        return readBits(1) != 0;
    }

    /**
     * {@code ns(n)}: a non-symmetric unsigned value in {@code [0, n)} coded in {@code w-1} or
     * {@code w} bits where {@code w} is the bit width of {@code n}. {@code ns(1)} reads nothing.
     */
    public int readNonSymmetric(int n) {
        if (n <= 1) {
            return 0;
        }
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        int v = readBits(w - 1);
        if (v < m) {
            return v;
        }
        int extraBit = readBits(1);
        return (v << 1) - m + extraBit;
    }

    /** Bits consumed so far. */
    public int position() {
        return position;
    }

    /** Bits left in the region. */
    public int remaining() {
        return bitLength - position;
    }

    /** Whether any read ran past the end of the region. */
    public boolean overrun() {
        return overrun;
    }
}
