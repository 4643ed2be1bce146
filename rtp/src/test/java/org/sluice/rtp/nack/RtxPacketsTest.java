package org.sluice.rtp.nack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RtxPacketsTest {

    private static final int RTX_PT = 97;
    private static final long RTX_SSRC = 0xCAFEBABEL;
    private static final int MEDIA_PT = 96;
    private static final long MEDIA_SSRC = 0x11223344L;

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7 + 1);
        }
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The original packet with every feature the header can have. */
    private static RtpPacketBuilder original() {
        return new RtpPacketBuilder().payloadType(MEDIA_PT).ssrc(MEDIA_SSRC).sequenceNumber(4321)
                .timestamp(0x89ABCDEFL).marker(true).csrc(0x01020304L).csrc(0x05060708L)
                .oneByteExtension(1, 0xAA).oneByteExtension(3, 1, 2, 3, 4, 5).padding(7)
                .payload(payload(33));
    }

    /** The RTX packet the sender makes of {@link #original()}: OSN first, RTX header fields. */
    private static RtpPacketBuilder rtxOf(RtpPacketBuilder original, int osn, byte[] payload) {
        return original.sequenceNumber(777).payloadType(RTX_PT).ssrc(RTX_SSRC)
                .payload(concat(new byte[] {(byte) (osn >>> 8), (byte) osn}, payload));
    }

    @Test
    void unwrapGivesTheOriginalPacketWithExtensionsCsrcsPaddingAndMarker() {
        byte[] expected = original().toBytes();
        ByteBuf packet = rtxOf(original(), 4321, payload(33)).build();
        try {
            RtpPacket view = new RtpPacket();
            assertThat(view.wrap(packet)).isTrue();
            assertThat(RtxPackets.originalSequence(view)).isEqualTo(4321);
            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isTrue();
            assertThat(packet.readerIndex()).isEqualTo(RtxPackets.OSN_LENGTH);
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(expected);
            assertThat(view.isValid()).isTrue();
            assertThat(view.offset()).isEqualTo(2);
            assertThat(view.sequenceNumber()).isEqualTo(4321);
            assertThat(view.payloadType()).isEqualTo(MEDIA_PT);
            assertThat(view.ssrc()).isEqualTo(MEDIA_SSRC);
            assertThat(view.marker()).isTrue();
            assertThat(view.csrc(1)).isEqualTo(0x05060708L);
            assertThat(view.paddingLength()).isEqualTo(7);
            assertThat(view.payloadLength()).isEqualTo(33);
            assertThat(view.extensionDataLength()).isEqualTo(8);
        } finally {
            packet.release();
        }
    }

    @Test
    void wrapThenUnwrapRoundTripsInAPooledDirectBuffer() {
        RtpPacketBuilder b = new RtpPacketBuilder().payloadType(MEDIA_PT).ssrc(MEDIA_SSRC).sequenceNumber(65535)
                .timestamp(5).twoByteExtension(200, 9, 8, 7).csrc(42).payload(payload(1200));
        byte[] expected = b.toBytes();
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.directBuffer(expected.length + 2);
        try {
            packet.writerIndex(2).readerIndex(2);
            packet.writeBytes(expected);
            RtpPacket view = new RtpPacket();
            assertThat(view.wrap(packet)).isTrue();
            assertThat(RtxPackets.wrapInPlace(packet, view, RTX_PT, RTX_SSRC, 9)).isTrue();
            assertThat(packet.readerIndex()).isZero();
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(rtxOf(b, 65535, payload(1200)).sequenceNumber(9).toBytes());
            assertThat(RtxPackets.originalSequence(view)).isEqualTo(65535);
            assertThat(RtxPackets.wrapInPlace(packet, view, RTX_PT, RTX_SSRC, 9)).isFalse(); // no headroom left

            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isTrue();
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(expected);
        } finally {
            packet.release();
        }
    }

    @Test
    void shortPayloadsAndPaddingOnlyProbesAreRefusedUntouched() {
        for (int payloadLength : new int[] {0, 1}) {
            for (int padding : new int[] {0, 1, 200}) {
                ByteBuf packet = original().sequenceNumber(5).payloadType(RTX_PT).ssrc(RTX_SSRC)
                        .payload(payload(payloadLength)).padding(padding).build();
                try {
                    byte[] before = ByteBufUtil.getBytes(packet);
                    RtpPacket view = new RtpPacket();
                    assertThat(view.wrap(packet)).isTrue();
                    assertThat(RtxPackets.originalSequence(view)).isEqualTo(-1);
                    assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isFalse();
                    assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(before);
                    assertThat(packet.readerIndex()).isZero();
                    assertThat(view.sequenceNumber()).isEqualTo(5);
                } finally {
                    packet.release();
                }
            }
        }
    }

    @Test
    void exactlyTheOsnLeavesAnEmptyPayload() {
        ByteBuf packet = rtxOf(new RtpPacketBuilder().ssrc(1), 0xBEEF, new byte[0]).padding(4).build();
        try {
            RtpPacket view = new RtpPacket();
            view.wrap(packet);
            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isTrue();
            assertThat(view.sequenceNumber()).isEqualTo(0xBEEF);
            assertThat(view.payloadLength()).isZero();
            assertThat(view.paddingLength()).isEqualTo(4);
        } finally {
            packet.release();
        }
    }

    @Test
    void refusesViewsThatAreInvalidOrNotOverThePacket() {
        ByteBuf packet = rtxOf(original(), 1, payload(10)).build();
        ByteBuf other = rtxOf(original(), 1, payload(10)).build();
        try {
            byte[] before = ByteBufUtil.getBytes(packet);
            RtpPacket view = new RtpPacket();
            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isFalse(); // never wrapped
            assertThat(RtxPackets.originalSequence(view)).isEqualTo(-1);
            view.wrap(other);
            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isFalse();
            view.wrap(packet, 0, packet.readableBytes() - 1); // not the readable bytes
            assertThat(RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC)).isFalse();
            assertThat(RtxPackets.unwrapInPlace(null, view, MEDIA_PT, MEDIA_SSRC)).isFalse();
            assertThat(RtxPackets.unwrapInPlace(packet, null, MEDIA_PT, MEDIA_SSRC)).isFalse();
            assertThat(RtxPackets.originalSequence(null)).isEqualTo(-1);
            ByteBuf readOnly = packet.asReadOnly();
            view.wrap(readOnly);
            assertThat(RtxPackets.originalSequence(view)).isEqualTo(1);
            assertThat(RtxPackets.unwrapInPlace(readOnly, view, MEDIA_PT, MEDIA_SSRC)).isFalse();
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(before);
        } finally {
            packet.release();
            other.release();
        }
    }

    /**
     * Random bytes and mutated RTX packets in exact-size buffers (a read or write past the end would
     * throw): nothing throws, refused packets are unchanged, accepted ones unwrap consistently.
     */
    @Test
    void fuzz() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] seed = rtxOf(original(), 1234, payload(20)).toBytes();
        RtpPacket view = new RtpPacket();
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] data;
            if (rnd.nextBoolean()) {
                data = new byte[rnd.nextInt(0, 64)];
                for (int j = 0; j < data.length; j++) {
                    data[j] = (byte) rnd.nextInt(256);
                }
                if (data.length > 0) {
                    data[0] = (byte) (0x80 | (data[0] & 0x3F));
                }
            } else {
                data = Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
                for (int f = rnd.nextInt(4); f > 0 && data.length > 0; f--) {
                    data[rnd.nextInt(data.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            ByteBuf packet = Unpooled.wrappedBuffer(data);
            try {
                view.wrap(packet);
                int osn = RtxPackets.originalSequence(view);
                boolean valid = view.isValid();
                int header = valid ? view.headerLength() : 0;
                int payloadLength = valid ? view.payloadLength() : 0;
                byte[] before = data.clone();
                boolean ok = RtxPackets.unwrapInPlace(packet, view, MEDIA_PT, MEDIA_SSRC);
                assertThat(ok).isEqualTo(osn >= 0);
                if (ok) {
                    accepted++;
                    assertThat(view.sequenceNumber()).isEqualTo(osn);
                    assertThat(view.headerLength()).isEqualTo(header);
                    assertThat(view.payloadLength()).isEqualTo(payloadLength - 2);
                    assertThat(packet.readableBytes()).isEqualTo(data.length - 2);
                    assertThat(Arrays.copyOfRange(data, header + 2, data.length))
                            .isEqualTo(Arrays.copyOfRange(before, header + 2, before.length));
                } else {
                    assertThat(data).isEqualTo(before);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw on " + ByteBufUtil.hexDump(data), e);
            } finally {
                packet.release();
            }
        }
        assertThat(accepted).isGreaterThan(3_000);
    }
}
