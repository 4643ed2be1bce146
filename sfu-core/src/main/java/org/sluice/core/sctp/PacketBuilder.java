package org.sluice.core.sctp;

import java.util.Arrays;

/**
 * Writes SCTP packets: a common header, then chunks appended while they fit the MTU, then the
 * CRC32c. {@link #finish()} returns a packet's bytes and starts an empty one. Not thread-safe.
 */
final class PacketBuilder {

    private final int mtu;
    private final int sourcePort;
    private final int destinationPort;
    private byte[] buf;
    private int length;
    private int tag;

    PacketBuilder(int mtu, int sourcePort, int destinationPort) {
        this.mtu = mtu;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.buf = new byte[mtu];
        reset(0);
    }

    /** Starts a packet with this verification tag (dropping anything unfinished). */
    void reset(int verificationTag) {
        tag = verificationTag;
        length = Chunks.COMMON_HEADER;
    }

    int verificationTag() {
        return tag;
    }

    boolean isEmpty() {
        return length == Chunks.COMMON_HEADER;
    }

    /** Bytes left for chunks in this packet. */
    int room() {
        return mtu - length;
    }

    int mtu() {
        return mtu;
    }

    /** Starts a chunk whose length field is {@code chunkLength}; the caller then writes its value. Grows past the MTU if asked. */
    void beginChunk(int type, int flags, int chunkLength) {
        ensure(Chunks.padded(chunkLength));
        buf[length] = (byte) type;
        buf[length + 1] = (byte) flags;
        put16(length + 2, chunkLength);
        length += Chunks.CHUNK_HEADER;
    }

    void u8(int v) {
        ensure(1);
        buf[length++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        put16(length, v);
        length += 2;
    }

    void i32(int v) {
        ensure(4);
        buf[length] = (byte) (v >>> 24);
        buf[length + 1] = (byte) (v >>> 16);
        buf[length + 2] = (byte) (v >>> 8);
        buf[length + 3] = (byte) v;
        length += 4;
    }

    void bytes(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, buf, length, count);
        length += count;
    }

    /** Pads the chunk just written to a multiple of 4. */
    void pad() {
        int target = Chunks.padded(length);
        ensure(target - length);
        while (length < target) {
            buf[length++] = 0;
        }
    }

    /** The finished packet (checksum written), or null if no chunk was added; then an empty packet with the same tag. */
    byte[] finish() {
        if (isEmpty()) {
            return null;
        }
        put16(0, sourcePort);
        put16(2, destinationPort);
        buf[4] = (byte) (tag >>> 24);
        buf[5] = (byte) (tag >>> 16);
        buf[6] = (byte) (tag >>> 8);
        buf[7] = (byte) tag;
        byte[] out = Arrays.copyOf(buf, length);
        Crc32c.write(out, 0, out.length);
        length = Chunks.COMMON_HEADER;
        return out;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    private void put16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }
}
