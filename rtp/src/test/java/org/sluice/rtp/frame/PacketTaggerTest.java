package org.sluice.rtp.frame;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

/** Vectors are those of the codec descriptor tests (GStreamer, libwebrtc, RFC diagrams, a Chrome capture). */
class PacketTaggerTest {

    // VP8 (Vp8PayloadDescriptorTest)
    static final byte[] VP8_KEY_PICID_6336 = hex("9080 98c0 f00700 9d012a b000 9000 0647088585889984 8821");
    static final byte[] VP8_ALL_FIELDS = bytes(0xB0, 0xF0, 0x92, 0x34, 0x56, 0xA5, 0x01, 0x00, 0x00);
    /** X=1 S=0: a continuation packet with I, L, T: picture id 0x1234, TL0PICIDX 0x56, TID 2. */
    static final byte[] VP8_CONTINUATION = bytes(0x80, 0xE0, 0x92, 0x34, 0x56, 0x80, 0x77);

    // VP9 (Vp9PayloadDescriptorTest, libwebrtc vectors)
    static final byte[] VP9_BASIC = Arrays.copyOf(bytes(0x0C), 4);
    static final byte[] VP9_NON_FLEXIBLE_LAYERS = Arrays.copyOf(bytes(0x20, (2 << 5) | (1 << 4) | (1 << 1) | 1, 17), 13);
    static final byte[] VP9_REF_IDX = Arrays.copyOf(bytes(0xD8, 0x80, 17, (17 << 1) | 1, (18 << 1) | 1, 127 << 1), 13);

    // H.264 (H264PayloadTest, libwebrtc vectors)
    static final byte[] H264_STAP_A_KEY = bytes(24,
            0, 0x18, 7, 0x7A, 0x00, 0x1F, 0xBC, 0xD9, 0x40, 0x50, 0x05, 0xBA, 0x10, 0x00, 0x00, 0x03, 0x00,
            0xC0, 0x00, 0x00, 0x03, 0x2A, 0xE0, 0xF1, 0x83, 0x25,
            0, 0x0D, 8, 0x69, 0xFC, 0x0, 0x0, 0x3, 0x0, 0x7, 0xFF, 0xFF, 0xFF, 0xF6, 0x40,
            0, 0x0B, 5, 0x85, 0xB8, 0x0, 0x4, 0x0, 0x0, 0x13, 0x93, 0x12, 0x0);
    static final byte[] H264_FU_A_START = bytes(28, 0x80 | 5, 0x85, 0xB8, 0x0, 0x4, 0x0, 0x0, 0x13, 0x93, 0x12, 0x0);
    static final byte[] H264_FU_A_MIDDLE = bytes(28, 5, 0x02);
    static final byte[] H264_FU_A_END = bytes(28, 0x40 | 5, 0x03);
    static final byte[] H264_NON_IDR_FIRST_SLICE = bytes(0x41, 0x9A, 0x84);
    static final byte[] H264_NON_IDR_LATER_SLICE = bytes(0x41, 0x40, 0x84);

    // AV1 dependency descriptors (Av1DependencyDescriptorTest: Chrome L3T3 capture)
    static final byte[] AV1_DD_KEY = hex("c1017280081485214eafffaaaa863cf0430c10c302afc0aaa0063c00430010c002a000a80006000040001d954926e082b04a0941b820ac1282503157f974000ca864330e222222eca8655304224230eca877530077004200ef008601df010d");
    /** Aggregation header W=1 N=1, then an OBU_FRAME header. */
    static final byte[] AV1_PAYLOAD_KEY = bytes(0x18, 0x32, 0x00);
    /** Aggregation header W=1, then an OBU_FRAME with an extension header: temporal 2, spatial 0. */
    static final byte[] AV1_PAYLOAD_FRAME_T2 = bytes(0x10, 0x36, 0x40, 0x00);
    /** Aggregation header Z=1: continues an OBU of the previous packet. */
    static final byte[] AV1_PAYLOAD_CONTINUATION = bytes(0x90, 0x11, 0x22);

    private final PacketTagger tagger = new PacketTagger();
    private final PacketTag tag = new PacketTag();

    private boolean tag(Codec codec, byte[] payload, boolean marker) {
        ByteBuf buf = exact(payload, 12);
        try {
            return tagger.tag(codec, buf, 12, payload.length, marker, tag);
        } finally {
            buf.release();
        }
    }

    private boolean tagAv1(byte[] payload, boolean marker, byte[] dd, Av1StructureHolder holder) {
        ByteBuf buf = exact(payload, 12);
        ByteBuf ext = exact(dd, 3);
        try {
            return tagger.tagAv1(buf, 12, payload.length, marker, ext, 3, dd.length, holder, tag);
        } finally {
            buf.release();
            ext.release();
        }
    }

    @Test
    void vp8KeyFrameAndLayers() {
        assertThat(tag(Codec.VP8, VP8_KEY_PICID_6336, true)).isTrue();
        assertThat(tag.codec).isEqualTo(Codec.VP8);
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag.switchPoint).isTrue();
        assertThat(tag.pictureId).isEqualTo(6336);
        assertThat(tag.frameId).isEqualTo(6336);
        assertThat(tag.frameIdBits).isEqualTo(15);
        assertThat(tag.tl0PicIdx).isEqualTo(-1);
        assertThat(tag.temporalId).isZero();
        assertThat(tag.spatialId).isZero();
        assertThat(tag.referencesKnown).isFalse();

        assertThat(tag(Codec.VP8, VP8_ALL_FIELDS, false)).isTrue();
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.interPicturePredicted).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isFalse();
        assertThat(tag.pictureId).isEqualTo(0x1234);
        assertThat(tag.tl0PicIdx).isEqualTo(0x56);
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag.switchPoint).isTrue(); // Y bit

        assertThat(tag(Codec.VP8, VP8_CONTINUATION, true)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag.switchPoint).isFalse();
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag.frameId).isEqualTo(0x1234);
    }

    @Test
    void vp9LayersFlexibleReferencesAndKeyFrames() {
        assertThat(tag(Codec.VP9, VP9_BASIC, true)).isTrue();
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag.frameId).isEqualTo(-1);

        assertThat(tag(Codec.VP9, VP9_NON_FLEXIBLE_LAYERS, false)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        assertThat(tag.frameEnd).isFalse();
        assertThat(tag.spatialId).isEqualTo(1);
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag.switchPoint).isTrue(); // U
        assertThat(tag.interLayerDependent).isTrue(); // D
        assertThat(tag.interPicturePredicted).isFalse(); // P=0 on an upper layer: not a key frame itself
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.tl0PicIdx).isEqualTo(17);
        assertThat(tag.referencesKnown).isFalse();

        assertThat(tag(Codec.VP9, VP9_REF_IDX, false)).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.interPicturePredicted).isTrue();
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.pictureId).isEqualTo(17);
        assertThat(tag.frameIdBits).isEqualTo(15);
        assertThat(tag.referencesKnown).isTrue();
        assertThat(tag.referenceCount).isEqualTo(3);
        assertThat(tag.reference(0)).isEqualTo(17);
        assertThat(tag.reference(1)).isEqualTo(18);
        assertThat(tag.reference(2)).isEqualTo(127);
        assertThat(tag.reference(3)).isZero();
    }

    @Test
    void h264FragmentsAggregatesAndSlices() {
        assertThat(tag(Codec.H264, H264_STAP_A_KEY, false)).isTrue();
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isFalse();

        assertThat(tag(Codec.H264, H264_FU_A_START, false)).isTrue();
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag(Codec.H264, H264_FU_A_MIDDLE, false)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        assertThat(tag.keyframe).isTrue(); // IDR data: the frame is a key frame
        assertThat(tag(Codec.H264, H264_FU_A_END, true)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        assertThat(tag.frameEnd).isTrue();

        assertThat(tag(Codec.H264, H264_NON_IDR_FIRST_SLICE, true)).isTrue();
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag(Codec.H264, H264_NON_IDR_LATER_SLICE, false)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        assertThat(tag.temporalId).isZero();
        assertThat(tag.frameId).isEqualTo(-1);

        assertThat(tag(Codec.H264, bytes(28 | 0x60, 0xC5, 0x00), true)).isFalse(); // FU-A with S and E
        assertThat(tag.codec).isNull();
    }

    @Test
    void av1WithDependencyDescriptor() {
        Av1StructureHolder holder = new Av1StructureHolder();
        // Before any structure the three-byte descriptor cannot be resolved.
        assertThat(tagAv1(AV1_PAYLOAD_FRAME_T2, false, hex("860173"), holder)).isFalse();

        assertThat(tagAv1(AV1_PAYLOAD_KEY, false, AV1_DD_KEY, holder)).isTrue();
        assertThat(holder.structure().current()).isNotNull();
        assertThat(tag.codec).isEqualTo(Codec.AV1);
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag.frameId).isEqualTo(370);
        assertThat(tag.frameIdBits).isEqualTo(16);
        assertThat(tag.spatialId).isZero();
        assertThat(tag.temporalId).isZero();
        assertThat(tag.referencesKnown).isTrue();
        assertThat(tag.referenceCount).isZero();
        assertThat(tag.switchPoint).isTrue();

        // 86017340fc: S1T0, frame 371, one reference to 370 (the key frame's S0).
        assertThat(tagAv1(bytes(0x10, 0x32, 0x00), false, hex("86017340fc"), holder)).isTrue();
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isFalse();
        assertThat(tag.spatialId).isEqualTo(1);
        assertThat(tag.temporalId).isZero();
        assertThat(tag.frameId).isEqualTo(371);
        assertThat(tag.referenceCount).isEqualTo(1);
        assertThat(tag.reference(0)).isEqualTo(1);

        // c3017540fc: S0T2, frame 373, references 370 (3 back).
        assertThat(tagAv1(bytes(0x10, 0x32, 0x00), true, hex("c3017540fc"), holder)).isTrue();
        assertThat(tag.spatialId).isZero();
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag.reference(0)).isEqualTo(3);
        assertThat(tag.switchPoint).isFalse(); // DTI of S0T2 for the L1T3 target is DISCARDABLE

        // 8b0174: S2T0 from a mandatory-only descriptor; its own target (S2T0) indicates SWITCH.
        assertThat(tagAv1(bytes(0x10, 0x32, 0x00), false, hex("8b0174"), holder)).isTrue();
        assertThat(tag.spatialId).isEqualTo(2);
        assertThat(tag.switchPoint).isTrue();

        // A malformed descriptor is refused, and the structure survives it.
        assertThat(tagAv1(bytes(0x10, 0x32, 0x00), false, hex("86"), holder)).isFalse();
        assertThat(holder.structure().current()).isNotNull();
    }

    @Test
    void av1FromTheAggregationHeaderAlone() {
        assertThat(tag(Codec.AV1, AV1_PAYLOAD_KEY, false)).isTrue();
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isFalse();
        assertThat(tag(Codec.AV1, AV1_PAYLOAD_FRAME_T2, true)).isTrue();
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.frameBegin).isTrue();
        assertThat(tag.frameEnd).isTrue();
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag(Codec.AV1, AV1_PAYLOAD_CONTINUATION, false)).isTrue();
        assertThat(tag.frameBegin).isFalse();
        // W=0: the first element has a leb128 length (2), then an OBU_FRAME_HEADER.
        assertThat(tag(Codec.AV1, bytes(0x00, 0x02, 0x1A, 0x00), false)).isTrue();
        assertThat(tag.frameBegin).isTrue();
    }

    @Test
    void audioAndUnparseablePayloadsAreRefused() {
        assertThat(tag(Codec.OPUS, bytes(0x78, 0x01, 0x02), true)).isFalse();
        assertThat(tag(null, VP9_BASIC, true)).isFalse();
        assertThat(tag(Codec.VP8, bytes(0x80), true)).isFalse(); // X=1 and nothing else
        assertThat(tag(Codec.VP9, bytes(0x80), true)).isFalse();
        assertThat(tag(Codec.H264, bytes(0x00), true)).isFalse();
        assertThat(tag(Codec.AV1, new byte[0], true)).isFalse();
        assertThat(tag.frameId).isEqualTo(-1);
        assertThat(tag.pictureId).isEqualTo(-1);
        ByteBuf buf = exact(VP9_BASIC, 0);
        try {
            assertThat(tagger.tag(Codec.VP9, buf, 2, 10, true, tag)).isFalse(); // region past the end
            assertThat(tagger.tag(Codec.VP9, buf, -1, 2, true, tag)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void randomPayloadsNeverThrow() {
        byte[][] seeds = {VP8_KEY_PICID_6336, VP8_ALL_FIELDS, VP8_CONTINUATION, VP9_BASIC, VP9_NON_FLEXIBLE_LAYERS,
            VP9_REF_IDX, H264_STAP_A_KEY, H264_FU_A_START, H264_FU_A_END, AV1_PAYLOAD_KEY, AV1_PAYLOAD_FRAME_T2};
        SplittableRandom random = new SplittableRandom(7);
        Codec[] codecs = Codec.values();
        CodecTestBuffers.fuzz(42, 40_000, seeds, (buf, offset, length) -> {
            Codec codec = codecs[random.nextInt(codecs.length)];
            boolean tagged = tagger.tag(codec, buf, offset, length, random.nextBoolean(), tag);
            if (tagged) {
                assertThat(tag.codec).isEqualTo(codec);
                assertThat(tag.spatialId).isBetween(0, 7);
                assertThat(tag.temporalId).isBetween(0, 7);
                assertThat(tag.referenceCount).isBetween(0, PacketTag.MAX_REFERENCES);
            } else {
                assertThat(tag.codec).isNull();
            }
        });
    }

    @Test
    void randomDependencyDescriptorsNeverThrow() {
        Av1StructureHolder holder = new Av1StructureHolder();
        byte[][] seeds = {AV1_DD_KEY, hex("86017340fc"), hex("c3017540fc"), hex("8b0174")};
        ByteBuf payload = exact(AV1_PAYLOAD_KEY, 0);
        try {
            CodecTestBuffers.fuzz(43, 20_000, seeds, (buf, offset, length) -> {
                if (tagger.tagAv1(payload, 0, AV1_PAYLOAD_KEY.length, false, buf, offset, length, holder, tag)) {
                    assertThat(tag.spatialId).isBetween(0, 7);
                    // A non-positive length means "no descriptor": the aggregation header alone.
                    assertThat(tag.frameId).isBetween(length > 0 ? 0L : -1L, 65535L);
                }
            });
        } finally {
            payload.release();
        }
    }
}
