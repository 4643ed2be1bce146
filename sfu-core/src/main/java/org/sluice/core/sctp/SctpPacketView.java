package org.sluice.core.sctp;

/**
 * A bounds-checked view of one SCTP packet in a byte array: the common header, the checksum
 * check, and a cursor over its chunks. {@link #wrap} never throws; it answers {@code false} for a
 * packet that is too short, fails its CRC32c, or whose chunks overrun it. Reusable; not thread-safe.
 */
final class SctpPacketView {

    private byte[] buf;
    private int start;
    private int end;
    private int chunk;
    private int next;

    /** Wraps {@code length} bytes at {@code offset}; true if the header, checksum and every chunk length are sound. */
    boolean wrap(byte[] data, int offset, int length) {
        buf = null;
        if (data == null || offset < 0 || length < Chunks.COMMON_HEADER || offset > data.length - length) {
            return false;
        }
        if (Crc32c.of(data, offset, length) != Crc32c.read(data, offset)) {
            return false;
        }
        int p = offset + Chunks.COMMON_HEADER;
        int limit = offset + length;
        if (p == limit) {
            return false; // no chunk at all
        }
        while (p < limit) {
            if (limit - p < Chunks.CHUNK_HEADER) {
                return false;
            }
            int chunkLength = u16(data, p + 2);
            if (chunkLength < Chunks.CHUNK_HEADER || chunkLength > limit - p) {
                return false;
            }
            p += Math.min(Chunks.padded(chunkLength), limit - p);
        }
        buf = data;
        start = offset;
        end = limit;
        chunk = -1;
        next = offset + Chunks.COMMON_HEADER;
        return true;
    }

    int sourcePort() {
        return u16(buf, start);
    }

    int destinationPort() {
        return u16(buf, start + 2);
    }

    int verificationTag() {
        return i32(buf, start + 4);
    }

    /** Moves to the next chunk; false after the last. */
    boolean nextChunk() {
        if (buf == null || next >= end) {
            return false;
        }
        chunk = next;
        next += Math.min(Chunks.padded(chunkLength()), end - next);
        return true;
    }

    /** Number of chunks, counted without moving the cursor. */
    int chunkCount() {
        int n = 0;
        for (int p = start + Chunks.COMMON_HEADER; p < end; p += Math.min(Chunks.padded(u16(buf, p + 2)), end - p)) {
            n++;
        }
        return n;
    }

    int chunkType() {
        return buf[chunk] & 0xff;
    }

    int chunkFlags() {
        return buf[chunk + 1] & 0xff;
    }

    /** The chunk's length field (header included, padding not). */
    int chunkLength() {
        return u16(buf, chunk + 2);
    }

    /** Offset of the chunk's value (after its 4-byte header) in {@link #buffer()}. */
    int valueOffset() {
        return chunk + Chunks.CHUNK_HEADER;
    }

    int valueLength() {
        return chunkLength() - Chunks.CHUNK_HEADER;
    }

    byte[] buffer() {
        return buf;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    static int i32(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }
}
