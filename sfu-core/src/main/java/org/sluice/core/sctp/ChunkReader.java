package org.sluice.core.sctp;

/**
 * Bounds-checked reads of a chunk's value and of the TLV parameters inside it. Every accessor
 * checks against the value's end; callers test {@link #has(int)} first or get {@code -1}/false.
 */
final class ChunkReader {

    private byte[] buf;
    private int offset;
    private int end;

    ChunkReader wrap(byte[] data, int valueOffset, int valueLength) {
        this.buf = data;
        this.offset = valueOffset;
        this.end = valueOffset + Math.max(0, valueLength);
        return this;
    }

    int length() {
        return end - offset;
    }

    boolean has(int bytes) {
        return bytes >= 0 && end - offset >= bytes;
    }

    int u8(int at) {
        return buf[offset + at] & 0xff;
    }

    int u16(int at) {
        return SctpPacketView.u16(buf, offset + at);
    }

    int i32(int at) {
        return SctpPacketView.i32(buf, offset + at);
    }

    byte[] copy(int at, int length) {
        byte[] out = new byte[length];
        System.arraycopy(buf, offset + at, out, 0, length);
        return out;
    }

    byte[] buffer() {
        return buf;
    }

    int absolute(int at) {
        return offset + at;
    }

    /**
     * Visits TLV parameters starting at {@code at}; stops at the first malformed one and returns
     * false in that case.
     */
    boolean forEachParameter(int at, ParameterVisitor visitor) {
        int p = offset + at;
        while (p < end) {
            if (end - p < 4) {
                return false;
            }
            int type = SctpPacketView.u16(buf, p);
            int len = SctpPacketView.u16(buf, p + 2);
            if (len < 4 || len > end - p) {
                return false;
            }
            visitor.visit(type, p + 4, len - 4);
            p += Math.min(Chunks.padded(len), end - p);
        }
        return true;
    }

    @FunctionalInterface
    interface ParameterVisitor {
        /** {@code valueOffset} is absolute in {@link ChunkReader#buffer()}. */
        void visit(int type, int valueOffset, int valueLength);
    }
}
