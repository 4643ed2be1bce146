package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class DtlsRecordFilterTest {

    private final DtlsRecordFilter filter = new DtlsRecordFilter(1500, 16);

    /** A record header plus {@code length} zero bytes of fragment. */
    private static byte[] record(int type, int minorVersion, int epoch, long sequence, int length) {
        byte[] bytes = new byte[13 + length];
        bytes[0] = (byte) type;
        bytes[1] = (byte) 0xFE;
        bytes[2] = (byte) minorVersion;
        bytes[3] = (byte) (epoch >> 8);
        bytes[4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            bytes[5 + i] = (byte) (sequence >> (40 - 8 * i));
        }
        bytes[11] = (byte) (length >> 8);
        bytes[12] = (byte) length;
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private boolean check(byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            return filter.wrap(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void acceptsAClientHelloRecord() {
        // DTLS 1.0 record version as browsers send in the first ClientHello, epoch 0, sequence 0.
        ByteBuf buf = Unpooled.wrappedBuffer(record(22, 0xFF, 0, 0, 180));
        try {
            int readerIndex = buf.readerIndex();
            assertThat(filter.wrap(buf)).isTrue();
            assertThat(filter.invalidReason()).isNull();
            assertThat(filter.recordCount()).isEqualTo(1);
            assertThat(filter.firstContentType()).isEqualTo(22);
            assertThat(buf.readerIndex()).isEqualTo(readerIndex);
        } finally {
            buf.release();
        }
    }

    @Test
    void acceptsSeveralRecordsInOneDatagram() {
        byte[] flight = concat(record(22, 0xFD, 0, 7, 100), record(20, 0xFD, 0, 8, 1), record(22, 0xFD, 1, 0, 40));

        assertThat(check(flight)).isTrue();
        assertThat(filter.recordCount()).isEqualTo(3);
    }

    @Test
    void respectsOffsetAndLength() {
        byte[] padded = concat(new byte[] {9, 9, 9}, record(23, 0xFD, 1, 1, 30), new byte[] {9});
        ByteBuf buf = Unpooled.wrappedBuffer(padded);
        try {
            assertThat(filter.wrap(buf, 3, 43)).isTrue();
            assertThat(filter.wrap(buf, 3, 44)).isFalse();
            assertThat(filter.invalidReason()).isEqualTo(DtlsRecordFilter.REASON_TRUNCATED);
            assertThat(filter.wrap(buf, 40, 10)).isFalse();
            assertThat(filter.wrap(buf, -1, 10)).isFalse();
            assertThat(filter.wrap(buf, 3, 1000)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsEachKindOfMalformedDatagram() {
        assertReason(null, DtlsRecordFilter.REASON_NULL);
        assertReason(new byte[12], DtlsRecordFilter.REASON_TOO_SHORT);
        assertReason(record(23, 0xFD, 1, 1, 1600), DtlsRecordFilter.REASON_TOO_LONG);
        assertReason(record(19, 0xFD, 0, 0, 10), DtlsRecordFilter.REASON_CONTENT_TYPE);
        assertReason(record(25, 0xFD, 0, 0, 10), DtlsRecordFilter.REASON_CONTENT_TYPE);
        assertReason(record(22, 0x03, 0, 0, 10), DtlsRecordFilter.REASON_VERSION);
        assertReason(record(22, 0xFC, 0, 0, 10), DtlsRecordFilter.REASON_VERSION);
        byte[] truncated = record(22, 0xFD, 0, 0, 10);
        assertReason(java.util.Arrays.copyOf(truncated, truncated.length - 1), DtlsRecordFilter.REASON_TRUNCATED);
        assertReason(concat(record(22, 0xFD, 0, 0, 10), new byte[5]), DtlsRecordFilter.REASON_TRUNCATED);
        assertReason(record(22, 0xFD, 0, 1L << 32, 10), DtlsRecordFilter.REASON_EPOCH0_SEQUENCE);
        assertReason(record(23, 0xFD, 1, 0, 15), DtlsRecordFilter.REASON_SHORT_PROTECTED);
        assertThat(check(record(22, 0xFD, 0, 0xFFFF, 10))).isTrue();
        assertThat(check(record(21, 0xFD, 1, 1L << 40, 18))).isTrue();
    }

    @Test
    void minimumProtectedLengthCanBeRaisedForGcm() {
        assertThat(check(record(21, 0xFD, 1, 3, 20))).isTrue();
        filter.minimumProtectedLength(24);
        assertThat(check(record(21, 0xFD, 1, 3, 20))).isFalse();
        assertThat(filter.invalidReason()).isEqualTo(DtlsRecordFilter.REASON_SHORT_PROTECTED);
        assertThat(check(record(21, 0xFD, 1, 3, 26))).isTrue();
        assertThat(check(record(22, 0xFD, 0, 3, 1))).isTrue(); // epoch 0 is plaintext: no minimum
    }

    private void assertReason(byte[] datagram, String reason) {
        boolean accepted;
        if (datagram == null) {
            accepted = filter.wrap(null);
        } else {
            accepted = check(datagram);
        }
        assertThat(accepted).isFalse();
        assertThat(filter.invalidReason()).isSameAs(reason);
        assertThat(filter.recordCount()).isZero();
        assertThat(filter.firstContentType()).isEqualTo(-1);
    }

    @Test
    void fuzzedDatagramsNeverThrowAndAcceptedOnesTileExactly() {
        SplittableRandom random = new SplittableRandom(6347);
        byte[] valid = concat(record(22, 0xFD, 0, 1, 90), record(20, 0xFD, 0, 2, 1), record(22, 0xFD, 1, 0, 40));
        int accepted = 0;
        for (int i = 0; i < 300_000; i++) {
            byte[] datagram;
            switch (i % 4) {
                case 0 -> datagram = randomBytes(random, random.nextInt(0, 64));
                case 1 -> datagram = java.util.Arrays.copyOf(valid, random.nextInt(0, valid.length + 1));
                case 2 -> {
                    datagram = valid.clone();
                    datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
                }
                default -> datagram = randomBytes(random, random.nextInt(1400, 1700));
            }
            if (check(datagram)) {
                accepted++;
                assertThat(filter.recordCount()).isPositive();
                assertThat(tiles(datagram)).isTrue();
            } else {
                assertThat(filter.invalidReason()).isNotNull();
            }
        }
        assertThat(accepted).isPositive();
    }

    /** Independent check: the record lengths add up to the datagram exactly. */
    private static boolean tiles(byte[] datagram) {
        int at = 0;
        while (at + 13 <= datagram.length) {
            at += 13 + ((datagram[at + 11] & 0xFF) << 8 | (datagram[at + 12] & 0xFF));
        }
        return at == datagram.length;
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        if (length > 2 && random.nextBoolean()) {
            bytes[0] = (byte) random.nextInt(20, 25);
            bytes[1] = (byte) 0xFE;
            bytes[2] = (byte) 0xFD;
        }
        return bytes;
    }
}
