package org.sluice.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for {@link RtpPacket#wrap}: random, truncated and oversized packets in buffers of
 * exactly their size, so that any read past the end would throw.
 */
class RtpPacketFuzzTest {

    private static final int CASES = 200_000;

    private final RtpPacket packet = new RtpPacket();

    @Test
    void randomBytesNeverThrowAndValidResultsAreConsistent() {
        SplittableRandom random = new SplittableRandom(0x5EED);
        int valid = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(0, 80)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F)); // version 2 half of the time
            }
            if (bytes.length > 15 && random.nextInt(4) == 0) {
                bytes[14] = 0;
                bytes[15] = (byte) random.nextInt(4); // small extension lengths
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            if (check(buf, 0, bytes.length)) {
                valid++;
            }
            int offset = random.nextInt(0, bytes.length + 2);
            int length = random.nextInt(-1, bytes.length + 2);
            check(buf, offset, length);
            buf.release();
        }
        assertThat(valid).as("some random inputs must be valid").isGreaterThan(CASES / 50);
    }

    @Test
    void truncatedAndOversizedPacketsNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < CASES; i++) {
            byte[] full = randomPacket(random);
            int cut = random.nextInt(0, full.length + 1);
            ByteBuf truncated = Unpooled.wrappedBuffer(Arrays.copyOf(full, cut));
            boolean ok = check(truncated, 0, cut);
            if (cut == full.length) {
                assertThat(ok).as("an untruncated built packet is valid").isTrue();
            }
            truncated.release();

            byte[] longer = Arrays.copyOf(full, full.length + 1 + random.nextInt(40));
            ByteBuf oversized = Unpooled.wrappedBuffer(longer);
            check(oversized, 0, longer.length);
            // the packet region inside the bigger buffer still parses as built
            assertThat(check(oversized, 0, full.length)).isTrue();
            oversized.release();
        }
    }

    private static byte[] randomPacket(SplittableRandom random) {
        RtpPacketBuilder b = new RtpPacketBuilder().payloadType(random.nextInt(128)).marker(random.nextBoolean())
                .sequenceNumber(random.nextInt(65536)).timestamp(random.nextLong(1L << 32)).ssrc(random.nextLong(1L << 32));
        int csrcs = random.nextInt(0, 16);
        for (int c = 0; c < csrcs; c++) {
            b.csrc(random.nextLong(1L << 32));
        }
        switch (random.nextInt(3)) {
            case 1 -> {
                int n = random.nextInt(1, 5);
                for (int e = 0; e < n; e++) {
                    int[] data = new int[random.nextInt(1, 17)];
                    b.oneByteExtension(e + 1, data);
                }
            }
            case 2 -> b.twoByteExtension(random.nextInt(1, 256), new int[random.nextInt(0, 40)]);
            default -> { }
        }
        byte[] payload = new byte[random.nextInt(0, 64)];
        random.nextBytes(payload);
        b.payload(payload);
        if (random.nextBoolean()) {
            b.padding(random.nextInt(1, 256));
        }
        return b.toBytes();
    }

    /** Wraps and, when valid, reads and rewrites every field, checking the layout adds up. */
    private boolean check(ByteBuf buf, int offset, int length) {
        boolean ok = packet.wrap(buf, offset, length);
        if (!ok) {
            assertThat(packet.invalidReason()).isNotNull();
            assertThat(packet.isValid()).isFalse();
            return false;
        }
        assertThat(packet.invalidReason()).isNull();
        assertThat(packet.version()).isEqualTo(2);
        assertThat(packet.headerLength()).isBetween(12, length);
        assertThat(packet.payloadLength()).isNotNegative();
        assertThat(packet.payloadOffset() + packet.payloadLength() + packet.paddingLength()).isEqualTo(offset + length);
        for (int c = 0; c < packet.csrcCount(); c++) {
            assertThat(packet.csrc(c)).isNotNegative();
        }
        if (packet.hasExtension()) {
            assertThat(packet.extensionDataOffset() + packet.extensionDataLength()).isEqualTo(packet.payloadOffset());
            assertThat(packet.extensionProfile()).isBetween(0, 0xFFFF);
        }
        int seq = packet.sequenceNumber();
        long ts = packet.timestamp();
        packet.marker();
        packet.payloadType();
        packet.ssrc();
        packet.setSequenceNumber(seq);
        packet.setTimestamp(ts);
        return true;
    }
}
