package org.sluice.rtp.codec.h264;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;

/**
 * Vectors from libwebrtc's {@code modules/rtp_rtcp/source/video_rtp_depacketizer_h264_unittest.cc}
 * (kSps=7, kPps=8, kIdr=5, kSlice=1, kStapA=24, kFuA=28, S=0x80, E=0x40), laid out per RFC 6184
 * §5.7.1 (STAP-A: 16-bit NAL unit size, then the NAL unit) and §5.8 (FU indicator, FU header).
 */
class H264PayloadTest {

    /** StapAKey: SPS (0x18 bytes), PPS (0x0D bytes) and an IDR slice (0x0B bytes) in one STAP-A. */
    static final byte[] STAP_A_KEY = bytes(24,
            0, 0x18, 7, 0x7A, 0x00, 0x1F, 0xBC, 0xD9, 0x40, 0x50, 0x05, 0xBA, 0x10, 0x00, 0x00, 0x03, 0x00,
            0xC0, 0x00, 0x00, 0x03, 0x2A, 0xE0, 0xF1, 0x83, 0x25,
            0, 0x0D, 8, 0x69, 0xFC, 0x0, 0x0, 0x3, 0x0, 0x7, 0xFF, 0xFF, 0xFF, 0xF6, 0x40,
            0, 0x0B, 5, 0x85, 0xB8, 0x0, 0x4, 0x0, 0x0, 0x13, 0x93, 0x12, 0x0);
    /** StapADelta: three non-IDR slices. */
    static final byte[] STAP_A_DELTA = bytes(24, 0, 0x02, 1, 0xFF, 0, 0x03, 1, 0xFF, 0x00, 0, 0x04, 1, 0xFF, 0x00, 0x11);
    /** FuA packet1..3: an IDR fragmented in three. */
    static final byte[] FU_A_START = bytes(28, 0x80 | 5, 0x85, 0xB8, 0x0, 0x4, 0x0, 0x0, 0x13, 0x93, 0x12, 0x0);
    static final byte[] FU_A_MIDDLE = bytes(28, 5, 0x02);
    static final byte[] FU_A_END = bytes(28, 0x40 | 5, 0x03);
    /** SingleNaluSpsWithResolution: a lone SPS. */
    static final byte[] SINGLE_SPS = bytes(7, 0x7A, 0x00, 0x1F, 0xBC, 0xD9, 0x40, 0x50, 0x05, 0xBA, 0x10, 0x00,
            0x00, 0x03, 0x00, 0xC0, 0x00, 0x00, 0x03, 0x2A, 0xE0, 0xF1, 0x83, 0x25);
    /** SeiPacket. */
    static final byte[] SEI = bytes(6, 0x03, 0x03, 0x03, 0x03);

    private final H264Payload h264 = new H264Payload();

    private void parse(byte[] packet, int prefix, Runnable checks) {
        ByteBuf buf = exact(packet, prefix);
        try {
            assertThat(h264.wrap(buf, prefix, packet.length)).as(String.valueOf(h264.invalidReason())).isTrue();
            assertThat(h264.status()).isEqualTo(H264Payload.Status.VALID);
            assertThat(H264Payload.isKeyFrame(buf, prefix, packet.length)).isEqualTo(h264.isKeyFrame());
            checks.run();
        } finally {
            buf.release();
        }
    }

    @Test
    void stapAWithSpsPpsIdrIsAKeyFrame() {
        parse(STAP_A_KEY, 12, () -> {
            assertThat(h264.packetizationType()).isEqualTo(H264PacketizationType.STAP_A);
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.SPS);
            assertThat(h264.nalUnitCount()).isEqualTo(3);
            assertThat(h264.nalUnitOffset(0)).isEqualTo(12 + 3);
            assertThat(h264.nalUnitLength(0)).isEqualTo(0x18);
            assertThat(h264.nalUnitOffset(1)).isEqualTo(12 + 3 + 0x18 + 2);
            assertThat(h264.nalUnitLength(1)).isEqualTo(0x0D);
            assertThat(h264.nalUnitOffset(2)).isEqualTo(12 + 3 + 0x18 + 2 + 0x0D + 2);
            assertThat(h264.nalUnitLength(2)).isEqualTo(0x0B);
            assertThat(h264.nalUnitOffset(2) + h264.nalUnitLength(2)).isEqualTo(12 + STAP_A_KEY.length);
            assertThat(h264.containsSps()).isTrue();
            assertThat(h264.containsPps()).isTrue();
            assertThat(h264.containsIdrData()).isTrue();
            assertThat(h264.isKeyFrame()).isTrue();
            assertThat(h264.isStartOfFrameHint()).isTrue();
        });
    }

    @Test
    void stapAOfSlicesIsADeltaFrame() {
        parse(STAP_A_DELTA, 0, () -> {
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.NON_IDR_SLICE);
            assertThat(h264.nalUnitCount()).isEqualTo(3);
            assertThat(h264.isKeyFrame()).isFalse();
            assertThat(h264.containsSps()).isFalse();
            assertThat(h264.isStartOfFrameHint()).isTrue(); // 0xFF: first_mb_in_slice = 0
        });
    }

    @Test
    void fuAFragmentsOfAnIdr() {
        parse(FU_A_START, 0, () -> {
            assertThat(h264.packetizationType()).isEqualTo(H264PacketizationType.FU_A);
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.IDR_SLICE);
            assertThat(h264.isFragmentStart()).isTrue();
            assertThat(h264.isFragmentEnd()).isFalse();
            assertThat(h264.isKeyFrame()).isTrue();
            assertThat(h264.containsIdrData()).isTrue();
            assertThat(h264.isStartOfFrameHint()).isTrue();
            assertThat(h264.nalUnitCount()).isZero();
        });
        parse(FU_A_MIDDLE, 0, () -> {
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.IDR_SLICE);
            assertThat(h264.isFragmentStart()).isFalse();
            assertThat(h264.isFragmentEnd()).isFalse();
            assertThat(h264.isKeyFrame()).isFalse();
            assertThat(h264.containsIdrData()).isTrue();
            assertThat(h264.isStartOfFrameHint()).isFalse();
        });
        parse(FU_A_END, 0, () -> {
            assertThat(h264.isFragmentEnd()).isTrue();
            assertThat(h264.isKeyFrame()).isFalse();
        });
    }

    @Test
    void singleNalUnits() {
        parse(SINGLE_SPS, 0, () -> {
            assertThat(h264.packetizationType()).isEqualTo(H264PacketizationType.SINGLE_NAL_UNIT);
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.SPS);
            assertThat(h264.containsSps()).isTrue();
            assertThat(h264.isKeyFrame()).isFalse(); // our rule needs an IDR slice
            assertThat(h264.isStartOfFrameHint()).isTrue();
            assertThat(h264.nalUnitCount()).isEqualTo(1);
            assertThat(h264.nalUnitOffset(0)).isZero();
            assertThat(h264.nalUnitLength(0)).isEqualTo(SINGLE_SPS.length);
        });
        parse(SEI, 0, () -> {
            assertThat(h264.nalUnitType()).isEqualTo(H264NalUnitType.SEI);
            assertThat(h264.isKeyFrame()).isFalse();
        });
        parse(bytes(0x65, 0x88, 0x84), 0, () -> { // NRI=3 IDR, first_mb_in_slice 0
            assertThat(h264.isKeyFrame()).isTrue();
            assertThat(h264.isStartOfFrameHint()).isTrue();
        });
        parse(bytes(0x41, 0x40, 0x84), 0, () -> { // non-IDR slice, first_mb_in_slice = 1 (010)
            assertThat(h264.isKeyFrame()).isFalse();
            assertThat(h264.isStartOfFrameHint()).isFalse();
        });
    }

    @Test
    void interleavedModeTypesAreUnsupportedNotMalformed() {
        int[] types = {25, 26, 27, 29};
        H264PacketizationType[] expected = {H264PacketizationType.STAP_B, H264PacketizationType.MTAP16,
            H264PacketizationType.MTAP24, H264PacketizationType.FU_B};
        for (int i = 0; i < types.length; i++) {
            byte[] packet = bytes(0x60 | types[i], 0x00, 0x01, 0x02, 0x03);
            ByteBuf buf = exact(packet, 0);
            try {
                assertThat(h264.wrap(buf, 0, packet.length)).isFalse();
                assertThat(h264.status()).isEqualTo(H264Payload.Status.UNSUPPORTED);
                assertThat(h264.invalidReason()).isEqualTo(H264Payload.REASON_UNSUPPORTED);
                assertThat(h264.packetizationType()).isEqualTo(expected[i]);
                assertThat(h264.packetizationType().isSupported()).isFalse();
                assertThat(h264.isKeyFrame()).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    /** libwebrtc EmptyPayload, TruncatedFuaNalu, TruncatedSingleStapANalu, StapAPacketWithTruncatedNalUnits,
     * TruncationJustAfterSingleStapANalu and EmptyStapARejected, plus RFC 6184 §5.8's S+E rule. */
    @Test
    void malformedPayloads() {
        byte[][] malformed = {
            {},
            bytes(0x9c),
            bytes(0xd8, 0x27),
            bytes(0x58, 0xCB, 0xED, 0xDF),
            bytes(0x38, 0x27, 0x27),
            bytes(24, 0x00, 0x00),
            bytes(24, 0x00, 0x00, 0x00, 0x04, 5, 0xFF, 0x00, 0x11),
            bytes(24, 0x00, 0x03, 5, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x04, 5, 0xFF, 0x00, 0x11),
            bytes(24, 0x00, 0x03, 5, 0xFF, 0x00, 0x00, 0x00),
            bytes(24),
            bytes(28, 0xC5, 0x00),           // S and E both set
            bytes(28, 0x80 | 24, 0x00),      // FU-A of a STAP-A
            bytes(0x00, 0x01),               // type 0
            bytes(0x1e, 0x01),               // type 30
            bytes(24, 0x00, 0x01, 28),       // STAP-A aggregating an FU-A
        };
        for (byte[] packet : malformed) {
            ByteBuf buf = exact(packet, 0);
            try {
                assertThat(h264.wrap(buf, 0, packet.length)).as(Arrays.toString(packet)).isFalse();
                assertThat(h264.status()).as(Arrays.toString(packet)).isEqualTo(H264Payload.Status.MALFORMED);
                assertThat(h264.invalidReason()).isNotNull();
                assertThat(h264.isKeyFrame()).isFalse();
                assertThat(h264.nalUnitCount()).isZero();
                assertThat(H264Payload.isKeyFrame(buf, 0, packet.length)).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void fuzzNeverThrowsAndStaysInsideTheRegion() {
        AtomicInteger valid = new AtomicInteger();
        byte[][] seeds = {STAP_A_KEY, STAP_A_DELTA, FU_A_START, FU_A_MIDDLE, FU_A_END, SINGLE_SPS, SEI};
        CodecTestBuffers.fuzz(0x5EED_0264L, 250_000, seeds, (buf, offset, length) -> {
            boolean ok = h264.wrap(buf, offset, length);
            boolean key = H264Payload.isKeyFrame(buf, offset, length);
            if (!ok) {
                assertThat(h264.status()).isNotEqualTo(H264Payload.Status.VALID);
                assertThat(h264.invalidReason()).isNotNull();
                return;
            }
            valid.incrementAndGet();
            assertThat(key).isEqualTo(h264.isKeyFrame());
            assertThat(h264.nalUnitType()).isBetween(1, 23);
            int end = offset;
            for (int i = 0; i < h264.nalUnitCount(); i++) {
                int at = h264.nalUnitOffset(i);
                int len = h264.nalUnitLength(i);
                assertThat(at).isGreaterThanOrEqualTo(end);
                assertThat(len).isPositive();
                end = at + len;
                assertThat(end).isLessThanOrEqualTo(offset + length);
            }
        });
        assertThat(valid.get()).isGreaterThan(50_000);
    }
}
