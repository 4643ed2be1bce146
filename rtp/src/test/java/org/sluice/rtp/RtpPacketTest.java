package org.sluice.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RtpPacketTest {

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final RtpPacket packet = new RtpPacket();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf track(ByteBuf buf) {
        buffers.add(buf);
        return buf;
    }

    private ByteBuf bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return track(Unpooled.wrappedBuffer(b));
    }

    /** The RFC 8285 §4.2 one-byte example block behind a hand-decoded RFC 3550 header. */
    @Test
    void decodesKnownPacketWithOneByteExtensions() {
        ByteBuf buf = bytes(
                0x90, 0xe0, 0x69, 0x8f, 0xd9, 0xc2, 0x93, 0xda, 0x1c, 0x64, 0x27, 0x82,
                0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC,
                0x98, 0x36, 0xbe, 0x88, 0x9e);

        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.invalidReason()).isNull();
        assertThat(packet.version()).isEqualTo(2);
        assertThat(packet.hasPadding()).isFalse();
        assertThat(packet.hasExtension()).isTrue();
        assertThat(packet.csrcCount()).isZero();
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(96);
        assertThat(packet.sequenceNumber()).isEqualTo(27023);
        assertThat(packet.timestamp()).isEqualTo(3653407706L);
        assertThat(packet.ssrc()).isEqualTo(476325762L);
        assertThat(packet.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(packet.extensionHeaderOffset()).isEqualTo(12);
        assertThat(packet.extensionDataOffset()).isEqualTo(16);
        assertThat(packet.extensionDataLength()).isEqualTo(12);
        assertThat(packet.headerLength()).isEqualTo(28);
        assertThat(packet.payloadOffset()).isEqualTo(28);
        assertThat(packet.payloadLength()).isEqualTo(5);
        assertThat(packet.paddingLength()).isZero();
    }

    @Test
    void decodesMinimalHeaderByHand() {
        // V=2 P=0 X=0 CC=0 | M=0 PT=0 (PCMU) | seq 0x0001 | ts 0x000000A0 | ssrc 0xDEADBEEF
        ByteBuf buf = bytes(0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0xDE, 0xAD, 0xBE, 0xEF);
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.payloadType()).isZero();
        assertThat(packet.marker()).isFalse();
        assertThat(packet.sequenceNumber()).isEqualTo(1);
        assertThat(packet.timestamp()).isEqualTo(160);
        assertThat(packet.ssrc()).isEqualTo(0xDEADBEEFL);
        assertThat(packet.headerLength()).isEqualTo(12);
        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.extensionProfile()).isEqualTo(-1);
        assertThat(packet.extensionDataOffset()).isEqualTo(-1);
    }

    @Test
    void decodesCsrcsAndPadding() {
        // V=2 P=1 X=0 CC=2 | M=1 PT=111 | seq 0xFFFF | ts 0xFFFFFFFF | ssrc 1 | csrc 2, 3 | payload AB CD | pad 00 00 03
        ByteBuf buf = bytes(0xA2, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01,
                0x00, 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x03,
                0xAB, 0xCD, 0x00, 0x00, 0x03);
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.hasPadding()).isTrue();
        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.csrc(0)).isEqualTo(2);
        assertThat(packet.csrc(1)).isEqualTo(0x80000003L);
        assertThat(packet.csrc(2)).isEqualTo(-1);
        assertThat(packet.csrc(-1)).isEqualTo(-1);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(111);
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(packet.headerLength()).isEqualTo(20);
        assertThat(packet.payloadOffset()).isEqualTo(20);
        assertThat(packet.payloadLength()).isEqualTo(2);
        assertThat(packet.paddingLength()).isEqualTo(3);
    }

    @Test
    void emptyExtensionWithOtherProfileIsAccepted() {
        ByteBuf buf = track(new RtpPacketBuilder().emptyExtension(0x1234).payload(new byte[3]).build());
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.extensionProfile()).isEqualTo(0x1234);
        assertThat(packet.extensionDataLength()).isZero();
        assertThat(packet.headerLength()).isEqualTo(16);
        assertThat(packet.payloadLength()).isEqualTo(3);
    }

    @Test
    void wrapsRegionInsideLargerBuffer() {
        byte[] inner = new RtpPacketBuilder().sequenceNumber(4242).ssrc(7).payload(new byte[]{1, 2, 3}).toBytes();
        ByteBuf buf = track(Unpooled.buffer(64));
        buf.writeZero(10).writeBytes(inner).writeZero(5);
        assertThat(packet.wrap(buf, 10, inner.length)).isTrue();
        assertThat(packet.offset()).isEqualTo(10);
        assertThat(packet.sequenceNumber()).isEqualTo(4242);
        assertThat(packet.payloadOffset()).isEqualTo(22);
        assertThat(packet.payloadLength()).isEqualTo(3);

        buf.readerIndex(10).writerIndex(10 + inner.length);
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.ssrc()).isEqualTo(7);
    }

    @Test
    void rejectsMalformedWithConstantReasons() {
        assertThat(packet.wrap(null)).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.NULL_BUFFER);

        ByteBuf small = bytes(0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(packet.wrap(small)).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.TOO_SHORT);
        assertThat(packet.isValid()).isFalse();

        assertThat(packet.wrap(small, 5, 10)).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.REGION_OUTSIDE_BUFFER);
        assertThat(packet.wrap(small, -1, 3)).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.REGION_OUTSIDE_BUFFER);
        assertThat(packet.wrap(small, 1, Integer.MAX_VALUE)).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.REGION_OUTSIDE_BUFFER);

        assertThat(packet.wrap(bytes(0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.BAD_VERSION);

        assertThat(packet.wrap(bytes(0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.CSRC_OVERFLOW);

        assertThat(packet.wrap(bytes(0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.EXTENSION_HEADER_OVERFLOW);

        assertThat(packet.wrap(bytes(0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 2, 0x10, 1, 0, 0))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.EXTENSION_OVERFLOW);

        assertThat(packet.wrap(bytes(0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.ZERO_PADDING);

        assertThat(packet.wrap(bytes(0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 7, 3))).isFalse();
        assertThat(packet.invalidReason()).isSameAs(RtpPacket.PADDING_OVERFLOW);
        assertThat(packet.buffer()).isNull();

        // padding that exactly fills the payload area is fine
        assertThat(packet.wrap(bytes(0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2))).isTrue();
        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.paddingLength()).isEqualTo(2);
    }

    @Test
    void settersRewriteInPlaceAndKeepNeighbours() {
        ByteBuf buf = track(new RtpPacketBuilder().marker(true).payloadType(96).sequenceNumber(1)
                .timestamp(2).ssrc(3).csrc(0x11111111L).payload(new byte[]{9, 9}).build());
        byte[] before = new byte[buf.readableBytes()];
        buf.getBytes(0, before);
        assertThat(packet.wrap(buf)).isTrue();

        packet.setMarker(false);
        packet.setPayloadType(127);
        assertThat(packet.marker()).isFalse();
        assertThat(packet.payloadType()).isEqualTo(127);
        packet.setMarker(true);
        packet.setPayloadType(0x80 | 5); // high bit ignored, marker kept
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(5);
        packet.setSequenceNumber(0x1FFFE);
        packet.setTimestamp(0x1_FFFF_FFFEL);
        packet.setSsrc(0xCAFEBABEL);

        assertThat(packet.sequenceNumber()).isEqualTo(0xFFFE);
        assertThat(packet.timestamp()).isEqualTo(0xFFFFFFFEL);
        assertThat(packet.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(packet.csrc(0)).isEqualTo(0x11111111L);
        assertThat(buf.getByte(0)).isEqualTo(before[0]);
        assertThat(buf.readerIndex()).isZero();
        assertThat(buf.writerIndex()).isEqualTo(before.length);
        byte[] expected = new RtpPacketBuilder().marker(true).payloadType(5).sequenceNumber(0xFFFE)
                .timestamp(0xFFFFFFFEL).ssrc(0xCAFEBABEL).csrc(0x11111111L).payload(new byte[]{9, 9}).toBytes();
        byte[] after = new byte[buf.readableBytes()];
        buf.getBytes(0, after);
        assertThat(after).isEqualTo(expected);
    }

    @Test
    void builderRoundTrip() {
        byte[] payload = new byte[100];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        ByteBuf buf = track(new RtpPacketBuilder().payloadType(100).sequenceNumber(65000).timestamp(123456789L)
                .ssrc(0x01020304L).csrc(5).csrc(6).csrc(7).twoByteExtension(20, 1, 2, 3)
                .payload(payload).padding(4).build());
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.csrcCount()).isEqualTo(3);
        assertThat(packet.csrc(2)).isEqualTo(7);
        assertThat(packet.extensionProfile()).isEqualTo(0x1000);
        assertThat(packet.extensionDataLength()).isEqualTo(8);
        assertThat(packet.headerLength()).isEqualTo(12 + 12 + 4 + 8);
        assertThat(packet.payloadLength()).isEqualTo(100);
        assertThat(packet.paddingLength()).isEqualTo(4);
        for (int i = 0; i < 100; i++) {
            assertThat(buf.getByte(packet.payloadOffset() + i)).isEqualTo((byte) i);
        }
    }
}
