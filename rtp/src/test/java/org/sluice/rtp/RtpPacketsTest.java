package org.sluice.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.testing.RtpPacketBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class RtpPacketsTest {

    @Test
    void secondByteInRtcpRangeIsRtcp() {
        for (int b1 = 0; b1 < 256; b1++) {
            ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0x80, (byte) b1});
            assertThat(RtpPackets.isRtcp(buf, 0)).as("second byte %d", b1).isEqualTo(b1 >= 192 && b1 <= 223);
            buf.release();
        }
    }

    @Test
    void knownRtcpPacketTypes() {
        int[] types = {200, 201, 202, 203, 204, 205, 206, 207};
        for (int type : types) {
            ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{(byte) 0x81, (byte) type, 0, 7});
            assertThat(RtpPackets.isRtcp(buf, 0)).isTrue();
            assertThat(RtpPackets.isRtpOrRtcp(buf, 0)).isTrue();
            assertThat(RtpPackets.looksLikeRtp(buf, 0, 4)).isFalse();
            buf.release();
        }
    }

    @Test
    void rtpWithDynamicPayloadTypesLooksLikeRtp() {
        ByteBuf buf = new RtpPacketBuilder().payloadType(96).marker(true).payload(new byte[4]).build();
        assertThat(RtpPackets.looksLikeRtp(buf)).isTrue();
        assertThat(RtpPackets.isRtcp(buf, 0)).isFalse(); // 0xE0 = 224: marker + PT 96
        assertThat(RtpPackets.looksLikeRtp(buf, 0, 11)).isFalse();
        buf.release();
    }

    @Test
    void firstByteRangeOfRfc7983() {
        ByteBuf stun = Unpooled.wrappedBuffer(new byte[]{0x00, 0x01});
        ByteBuf dtls = Unpooled.wrappedBuffer(new byte[]{22, (byte) 0xFE});
        ByteBuf rtp = Unpooled.wrappedBuffer(new byte[]{(byte) 191});
        assertThat(RtpPackets.isRtpOrRtcp(stun, 0)).isFalse();
        assertThat(RtpPackets.isRtpOrRtcp(dtls, 0)).isFalse();
        assertThat(RtpPackets.isRtpOrRtcp(rtp, 0)).isTrue();
        stun.release();
        dtls.release();
        rtp.release();
    }

    @Test
    void outOfBoundsIsFalseNotException() {
        ByteBuf one = Unpooled.wrappedBuffer(new byte[]{(byte) 0x80});
        assertThat(RtpPackets.isRtcp(one, 0)).isFalse();
        assertThat(RtpPackets.isRtcp(one, -1)).isFalse();
        assertThat(RtpPackets.isRtcp(null, 0)).isFalse();
        assertThat(RtpPackets.isRtpOrRtcp(one, 1)).isFalse();
        assertThat(RtpPackets.looksLikeRtp(one, 0, 12)).isFalse();
        assertThat(RtpPackets.looksLikeRtp(null)).isFalse();
        one.release();
    }
}
