package org.sluice.core.sctp;

import java.util.zip.CRC32C;

/**
 * The SCTP checksum (RFC 9260 appendix A): CRC32c over the whole packet with the checksum field
 * taken as zero, stored in the packet's bytes 8..11 least significant byte first (the bit order
 * the RFC describes comes out as little-endian).
 */
final class Crc32c {

    private static final byte[] ZEROS = new byte[4];

    private Crc32c() {
    }

    /** The checksum of {@code length} bytes at {@code offset}, with bytes 8..11 counted as zero. */
    static int of(byte[] packet, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(packet, offset, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(packet, offset + 12, length - 12);
        return (int) crc.getValue();
    }

    /** Reads the checksum field (little-endian). */
    static int read(byte[] packet, int offset) {
        return (packet[offset + 8] & 0xff) | (packet[offset + 9] & 0xff) << 8
                | (packet[offset + 10] & 0xff) << 16 | (packet[offset + 11] & 0xff) << 24;
    }

    /** Computes and writes the checksum of a whole packet. */
    static void write(byte[] packet, int offset, int length) {
        int c = of(packet, offset, length);
        packet[offset + 8] = (byte) c;
        packet[offset + 9] = (byte) (c >>> 8);
        packet[offset + 10] = (byte) (c >>> 16);
        packet[offset + 11] = (byte) (c >>> 24);
    }
}
