package org.sluice.rtp.codec.av1;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;

class Av1BitReaderTest {

    private final Av1BitReader reader = new Av1BitReader();

    @Test
    void readsBitFieldsAcrossByteBoundaries() {
        ByteBuf buf = exact(bytes(0b1011_0011, 0b0101_1100, 0xFF, 0x00, 0x12), 2);
        try {
            reader.wrap(buf, 2, 5);
            assertThat(reader.readBits(1)).isEqualTo(1);
            assertThat(reader.readBits(3)).isEqualTo(0b011);
            assertThat(reader.readBits(7)).isEqualTo(0b0011_010);
            assertThat(reader.readBits(5)).isEqualTo(0b11100);
            assertThat(reader.readBitsLong(24)).isEqualTo(0xFF0012L);
            assertThat(reader.remaining()).isZero();
            assertThat(reader.overrun()).isFalse();
            assertThat(reader.readBits(1)).isZero();
            assertThat(reader.overrun()).isTrue();
        } finally {
            buf.release();
        }
    }

    /**
     * {@code ns(5)}: w=3, m=3, so 0..2 take two bits and 3, 4 take three (AV1 bitstream spec §4.10.7):
     * 00→0, 01→1, 10→2, 110→3, 111→4.
     */
    @Test
    void nonSymmetricMatchesTheSpecDefinition() {
        ByteBuf buf = exact(bytes(0b00_01_10_11, 0b0_111_0000), 0);
        try {
            reader.wrap(buf, 0, 2);
            assertThat(reader.readNonSymmetric(5)).isEqualTo(0);
            assertThat(reader.readNonSymmetric(5)).isEqualTo(1);
            assertThat(reader.readNonSymmetric(5)).isEqualTo(2);
            assertThat(reader.readNonSymmetric(5)).isEqualTo(3);
            assertThat(reader.readNonSymmetric(5)).isEqualTo(4);
            assertThat(reader.position()).isEqualTo(12);
            assertThat(reader.readNonSymmetric(1)).isZero(); // ns(1) reads nothing
            assertThat(reader.position()).isEqualTo(12);
        } finally {
            buf.release();
        }
    }

    @Test
    void nonSymmetricRoundTripsForEveryRange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 1; n <= 40; n++) {
            BitWriter writer = new BitWriter();
            int[] values = new int[20];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(n);
                writer.ns(values[i], n);
            }
            byte[] encoded = writer.toBytes();
            ByteBuf buf = exact(encoded, 0);
            try {
                reader.wrap(buf, 0, encoded.length);
                for (int value : values) {
                    assertThat(reader.readNonSymmetric(n)).as("ns(%d)", n).isEqualTo(value);
                }
                assertThat(reader.overrun()).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void overrunLatchesWithoutReadingOutside() {
        ByteBuf buf = exact(bytes(0xAB), 0);
        try {
            reader.wrap(buf, 0, 1);
            assertThat(reader.readBits(9)).isZero();
            assertThat(reader.overrun()).isTrue();
            assertThat(reader.readBits(1)).isZero();
            assertThat(reader.readNonSymmetric(1000)).isZero();
        } finally {
            buf.release();
        }
    }
}
