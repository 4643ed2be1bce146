package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedExtensionsTest {

    private static final int AUDIO_LEVEL = 1;
    private static final int ABS_SEND_TIME = 2;
    private static final int TWCC = 3;
    private static final int MID = 4;
    private static final int RID = 10;
    private static final int RRID = 11;

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions ext = new HeaderExtensions();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf wrap(RtpPacketBuilder builder) {
        ByteBuf buf = builder.build();
        buffers.add(buf);
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(ext.wrap(packet)).isTrue();
        return buf;
    }

    @Test
    void audioLevelRfc6464() {
        // 0x80 | 0x21: voice activity, level -33 dBov
        wrap(new RtpPacketBuilder().oneByteExtension(AUDIO_LEVEL, 0xA1));
        assertThat(AudioLevelExtension.voiceActivity(ext, AUDIO_LEVEL)).isTrue();
        assertThat(AudioLevelExtension.level(ext, AUDIO_LEVEL)).isEqualTo(33);

        assertThat(AudioLevelExtension.write(ext, AUDIO_LEVEL, false, 127)).isTrue();
        assertThat(AudioLevelExtension.voiceActivity(ext, AUDIO_LEVEL)).isFalse();
        assertThat(AudioLevelExtension.level(ext, AUDIO_LEVEL)).isEqualTo(127);
        assertThat(AudioLevelExtension.encode(true, 200)).isEqualTo(0xFF);
        assertThat(AudioLevelExtension.encode(false, -5)).isZero();

        assertThat(AudioLevelExtension.level(ext, 9)).isEqualTo(-1);
        assertThat(AudioLevelExtension.voiceActivity(ext, 9)).isFalse();
        assertThat(AudioLevelExtension.write(ext, 9, true, 1)).isFalse();
    }

    @Test
    void absSendTime() {
        ByteBuf buf = wrap(new RtpPacketBuilder().oneByteExtension(ABS_SEND_TIME, 0x12, 0x34, 0x56));
        assertThat(AbsSendTimeExtension.read(ext, ABS_SEND_TIME)).isEqualTo(0x123456);
        assertThat(AbsSendTimeExtension.write(ext, ABS_SEND_TIME, 0x7ABCDEF)).isTrue();
        assertThat(ByteBufUtil.hexDump(buf, ext.find(ABS_SEND_TIME), 3)).isEqualTo("abcdef");
        assertThat(AbsSendTimeExtension.read(ext, 5)).isEqualTo(-1);
        assertThat(AbsSendTimeExtension.write(ext, 5, 1)).isFalse();
    }

    @Test
    void absSendTimeFixedPointConversion() {
        assertThat(AbsSendTimeExtension.fromNanos(0)).isZero();
        assertThat(AbsSendTimeExtension.fromNanos(1_000_000_000L)).isEqualTo(1 << 18);
        assertThat(AbsSendTimeExtension.fromNanos(500_000_000L)).isEqualTo(1 << 17);
        assertThat(AbsSendTimeExtension.fromNanos(63_500_000_000L)).isEqualTo((63 << 18) | (1 << 17));
        // wraps every 64 seconds
        assertThat(AbsSendTimeExtension.fromNanos(64_000_000_000L)).isZero();
        assertThat(AbsSendTimeExtension.fromNanos(65_250_000_000L)).isEqualTo((1 << 18) | (1 << 16));
        assertThat(AbsSendTimeExtension.toNanos((3 << 18) | (1 << 17))).isEqualTo(3_500_000_000L);
        long nanos = 12_345_678_901L;
        assertThat(Math.abs(AbsSendTimeExtension.toNanos(AbsSendTimeExtension.fromNanos(nanos)) - nanos))
                .isLessThan(4_000); // resolution 2^-18 s = 3.8 us
        assertThat(AbsSendTimeExtension.fromNanos(-1_000_000_000L)).isEqualTo(63 << 18);
    }

    @Test
    void wrongLengthIsNotRead() {
        wrap(new RtpPacketBuilder().oneByteExtension(ABS_SEND_TIME, 1, 2).oneByteExtension(TWCC, 1, 2, 3));
        assertThat(AbsSendTimeExtension.read(ext, ABS_SEND_TIME)).isEqualTo(-1);
        assertThat(TransportCcExtension.read(ext, TWCC)).isEqualTo(-1);
        assertThat(TransportCcExtension.write(ext, TWCC, 5)).isFalse();
    }

    @Test
    void transportWideSequenceNumberReadAndRewrite() {
        ByteBuf buf = wrap(new RtpPacketBuilder().oneByteExtension(MID, 'a')
                .oneByteExtension(TWCC, 0xFF, 0xFE).payload(new byte[]{1}));
        assertThat(TransportCcExtension.read(ext, TWCC)).isEqualTo(65534);
        assertThat(TransportCcExtension.write(ext, TWCC, 0x10001)).isTrue();
        assertThat(TransportCcExtension.read(ext, TWCC)).isEqualTo(1);
        byte[] expected = new RtpPacketBuilder().oneByteExtension(MID, 'a')
                .oneByteExtension(TWCC, 0x00, 0x01).payload(new byte[]{1}).toBytes();
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(TransportCcExtension.read(ext, 7)).isEqualTo(-1);
    }

    @Test
    void sdesItemsCompareWithoutAllocatingAndConvertForControlPlane() {
        wrap(new RtpPacketBuilder().oneByteExtension(MID, "0".getBytes(StandardCharsets.US_ASCII))
                .oneByteExtension(RID, "hi".getBytes(StandardCharsets.US_ASCII))
                .oneByteExtension(RRID, "h".getBytes(StandardCharsets.US_ASCII)));
        assertThat(SdesExtension.matches(ext, MID, "0")).isTrue();
        assertThat(SdesExtension.matches(ext, MID, "1")).isFalse();
        assertThat(SdesExtension.matches(ext, RID, "hi")).isTrue();
        assertThat(SdesExtension.matches(ext, RID, "h")).isFalse();
        assertThat(SdesExtension.matches(ext, RID, "hii")).isFalse();
        assertThat(SdesExtension.matches(ext, RID, "hé")).isFalse();
        assertThat(SdesExtension.matches(ext, RID, (CharSequence) null)).isFalse();
        assertThat(SdesExtension.matches(ext, RRID, new byte[]{'h'})).isTrue();
        assertThat(SdesExtension.matches(ext, RRID, new byte[]{'q'})).isFalse();
        assertThat(SdesExtension.matches(ext, RRID, new byte[]{'h', 'h'})).isFalse();
        assertThat(SdesExtension.matches(ext, 14, "x")).isFalse();
        assertThat(SdesExtension.toString(ext, RID)).isEqualTo("hi");
        assertThat(SdesExtension.toString(ext, MID)).isEqualTo("0");
        assertThat(SdesExtension.toString(ext, 14)).isNull();
    }

    @Test
    void extensionMapResolvesIdsBothWays() {
        ExtensionMap map = ExtensionMap.builder()
                .put(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level")
                .put(3, ExtensionType.TRANSPORT_WIDE_CC)
                .put(4, " urn:ietf:params:rtp-hdrext:sdes:mid ")
                .put(200, "urn:example:unknown")
                .build();
        assertThat(map.idOf(ExtensionType.AUDIO_LEVEL)).isEqualTo(1);
        assertThat(map.idOf(ExtensionType.TRANSPORT_WIDE_CC)).isEqualTo(3);
        assertThat(map.idOf(ExtensionType.MID)).isEqualTo(4);
        assertThat(map.idOf(ExtensionType.RID)).isEqualTo(-1);
        assertThat(map.typeOf(3)).isEqualTo(ExtensionType.TRANSPORT_WIDE_CC);
        assertThat(map.typeOf(200)).isNull();
        assertThat(map.uriOf(200)).isEqualTo("urn:example:unknown");
        assertThat(map.typeOf(0)).isNull();
        assertThat(map.typeOf(256)).isNull();
        assertThat(map.uriOf(-1)).isNull();

        ExtensionMap moved = map.with(5, ExtensionType.RID.uri()).with(3, "urn:other");
        assertThat(moved.idOf(ExtensionType.RID)).isEqualTo(5);
        assertThat(moved.idOf(ExtensionType.TRANSPORT_WIDE_CC)).isEqualTo(-1);
        assertThat(map.idOf(ExtensionType.TRANSPORT_WIDE_CC)).isEqualTo(3);
        assertThat(map).isEqualTo(ExtensionMap.builder().put(1, ExtensionType.AUDIO_LEVEL)
                .put(3, ExtensionType.TRANSPORT_WIDE_CC).put(4, ExtensionType.MID).put(200, "urn:example:unknown").build());
        assertThat(map.toString()).contains("3=" + ExtensionType.TRANSPORT_WIDE_CC.uri());
        assertThat(ExtensionMap.EMPTY.idOf(ExtensionType.MID)).isEqualTo(-1);
        assertThatThrownBy(() -> ExtensionMap.builder().put(0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionMap.builder().put(256, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionTypeUris() {
        assertThat(ExtensionType.fromUri("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"))
                .isEqualTo(ExtensionType.ABS_SEND_TIME);
        assertThat(ExtensionType.fromUri("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"))
                .isEqualTo(ExtensionType.REPAIRED_RID);
        assertThat(ExtensionType.fromUri("urn:nope")).isNull();
        assertThat(ExtensionType.fromUri(null)).isNull();
    }

    @Test
    void hotPathUsesMapIdsOnRealLayout() {
        ExtensionMap map = ExtensionMap.builder().put(MID, ExtensionType.MID).put(ABS_SEND_TIME, ExtensionType.ABS_SEND_TIME)
                .put(TWCC, ExtensionType.TRANSPORT_WIDE_CC).build();
        wrap(new RtpPacketBuilder().oneByteExtension(MID, '1').oneByteExtension(ABS_SEND_TIME, 0, 0, 1)
                .oneByteExtension(TWCC, 0, 42));
        assertThat(TransportCcExtension.read(ext, map.idOf(ExtensionType.TRANSPORT_WIDE_CC))).isEqualTo(42);
        assertThat(AbsSendTimeExtension.read(ext, map.idOf(ExtensionType.ABS_SEND_TIME))).isEqualTo(1);
        assertThat(SdesExtension.matches(ext, map.idOf(ExtensionType.MID), "1")).isTrue();
        assertThat(TransportCcExtension.read(ext, map.idOf(ExtensionType.RID))).isEqualTo(-1);
    }
}
