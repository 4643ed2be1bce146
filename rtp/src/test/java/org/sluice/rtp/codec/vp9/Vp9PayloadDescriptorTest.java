package org.sluice.rtp.codec.vp9;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;

/**
 * Byte vectors from libwebrtc's {@code modules/rtp_rtcp/source/video_rtp_depacketizer_vp9_unittest.cc}
 * (the packet arrays of the named tests, zero-filled to the length given there), plus descriptors
 * built from the RFC 9628 §4.2 diagrams.
 */
class Vp9PayloadDescriptorTest {

    private final Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor();

    static byte[] padded(int length, int... head) {
        return Arrays.copyOf(bytes(head), length);
    }

    static final byte[] BASIC_HEADER = padded(4, 0x0C);
    static final byte[] ONE_BYTE_PICTURE_ID = padded(10, 0x80, 0x7F);
    static final byte[] TWO_BYTE_PICTURE_ID = padded(10, 0x80, 0xFF, 0xFF);
    static final byte[] NON_FLEXIBLE_LAYERS = padded(13, 0x20, (2 << 5) | (1 << 4) | (1 << 1) | 1, 17);
    static final byte[] FLEXIBLE_LAYERS = padded(13, 0x38, (2 << 5) | (1 << 4));
    static final byte[] REF_IDX = padded(13, 0xD8, 0x80, 17, (17 << 1) | 1, (18 << 1) | 1, 127 << 1);
    static final byte[] SS_DATA = padded(23, 0x0A, (1 << 5) | (1 << 3), 2, 1 << 4, (2 << 5) | (1 << 2), 33);
    static final byte[] RESOLUTION = padded(20, 0x0A, (1 << 5) | (1 << 4), 0x02, 0x80, 0x01, 0x68, 0x05, 0x00, 0x02, 0xD0);

    private void parse(byte[] packet, int prefix, Runnable checks) {
        ByteBuf buf = exact(packet, prefix);
        try {
            assertThat(vp9.wrap(buf, prefix, packet.length)).as(String.valueOf(vp9.invalidReason())).isTrue();
            checks.run();
        } finally {
            buf.release();
        }
    }

    @Test
    void basicHeader() {
        parse(BASIC_HEADER, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(1);
            assertThat(vp9.isStartOfFrame()).isTrue();
            assertThat(vp9.isEndOfFrame()).isTrue();
            assertThat(vp9.hasPictureId()).isFalse();
            assertThat(vp9.temporalId()).isEqualTo(-1);
            assertThat(vp9.spatialId()).isEqualTo(-1);
            assertThat(vp9.isKeyFrame()).isTrue(); // B=1, P=0, no layer indices
        });
    }

    @Test
    void pictureIds() {
        parse(ONE_BYTE_PICTURE_ID, 7, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(2);
            assertThat(vp9.pictureIdBits()).isEqualTo(7);
            assertThat(vp9.pictureId()).isEqualTo(127);
        });
        parse(TWO_BYTE_PICTURE_ID, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(3);
            assertThat(vp9.pictureIdBits()).isEqualTo(15);
            assertThat(vp9.pictureId()).isEqualTo(0x7FFF);
        });
    }

    @Test
    void layerIndicesInNonFlexibleAndFlexibleMode() {
        parse(NON_FLEXIBLE_LAYERS, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(3);
            assertThat(vp9.isFlexibleMode()).isFalse();
            assertThat(vp9.temporalId()).isEqualTo(2);
            assertThat(vp9.isSwitchingUpPoint()).isTrue();
            assertThat(vp9.spatialId()).isEqualTo(1);
            assertThat(vp9.isInterLayerDependent()).isTrue();
            assertThat(vp9.tl0PicIdx()).isEqualTo(17);
        });
        parse(FLEXIBLE_LAYERS, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(2);
            assertThat(vp9.isFlexibleMode()).isTrue();
            assertThat(vp9.isStartOfFrame()).isTrue();
            assertThat(vp9.temporalId()).isEqualTo(2);
            assertThat(vp9.isSwitchingUpPoint()).isTrue();
            assertThat(vp9.spatialId()).isZero();
            assertThat(vp9.isInterLayerDependent()).isFalse();
            assertThat(vp9.hasTl0PicIdx()).isFalse();
        });
    }

    @Test
    void flexibleModeReferenceDiffs() {
        parse(REF_IDX, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(6);
            assertThat(vp9.isInterPicturePredicted()).isTrue();
            assertThat(vp9.pictureId()).isEqualTo(17);
            assertThat(vp9.pDiffCount()).isEqualTo(3);
            assertThat(vp9.pDiff(0)).isEqualTo(17);
            assertThat(vp9.pDiff(1)).isEqualTo(18);
            assertThat(vp9.pDiff(2)).isEqualTo(127);
            assertThat(vp9.isKeyFrame()).isFalse();
        });
    }

    @Test
    void rejectsPDiffWithoutPictureIdAndMoreThanThreePDiffs() {
        byte[] noPictureId = padded(13, 0x58, 3 << 1);
        byte[] tooMany = padded(13, 0xD8, 0x7F, (3 << 1) | 1, (3 << 1) | 1, (3 << 1) | 1, 3 << 1);
        ByteBuf a = exact(noPictureId, 0);
        ByteBuf b = exact(tooMany, 0);
        try {
            assertThat(vp9.wrap(a, 0, noPictureId.length)).isFalse();
            assertThat(vp9.invalidReason()).isEqualTo(Vp9PayloadDescriptor.REASON_P_DIFF_WITHOUT_PICTURE_ID);
            assertThat(vp9.wrap(b, 0, tooMany.length)).isFalse();
            assertThat(vp9.invalidReason()).isEqualTo(Vp9PayloadDescriptor.REASON_TOO_MANY_P_DIFFS);
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void scalabilityStructureWithPictureGroup() {
        parse(SS_DATA, 0, () -> {
            assertThat(vp9.descriptorLength()).isEqualTo(6);
            assertThat(vp9.hasScalabilityStructure()).isTrue();
            assertThat(vp9.spatialLayerCount()).isEqualTo(2);
            assertThat(vp9.hasSpatialLayerResolutions()).isFalse();
            assertThat(vp9.pictureGroupCount()).isEqualTo(2);
            assertThat(vp9.pictureGroupTemporalId(0)).isZero();
            assertThat(vp9.pictureGroupSwitchingUpPoint(0)).isTrue();
            assertThat(vp9.pictureGroupReferenceCount(0)).isZero();
            assertThat(vp9.pictureGroupTemporalId(1)).isEqualTo(2);
            assertThat(vp9.pictureGroupSwitchingUpPoint(1)).isFalse();
            assertThat(vp9.pictureGroupReferenceCount(1)).isEqualTo(1);
            assertThat(vp9.pictureGroupPDiff(1, 0)).isEqualTo(33);
            assertThat(vp9.isKeyFrame()).isTrue();
        });
    }

    @Test
    void scalabilityStructureResolutions() {
        parse(RESOLUTION, 3, () -> {
            assertThat(vp9.spatialLayerCount()).isEqualTo(2);
            assertThat(vp9.hasSpatialLayerResolutions()).isTrue();
            assertThat(vp9.spatialLayerWidth(0)).isEqualTo(640);
            assertThat(vp9.spatialLayerHeight(0)).isEqualTo(360);
            assertThat(vp9.spatialLayerWidth(1)).isEqualTo(1280);
            assertThat(vp9.spatialLayerHeight(1)).isEqualTo(720);
            assertThat(vp9.pictureGroupCount()).isZero();
            assertThat(vp9.descriptorLength()).isEqualTo(10);
        });
    }

    /** libwebrtc ParseFirstPacketInKeyFrame / ParseLastPacketInDeltaFrame, plus the SID rule. */
    @Test
    void keyFrameRule() {
        byte[][] keys = {
            {0x08, 0},                                    // B=1 P=0, no L
            {0x28, (byte) (0 << 1), 5, 0},                // L=1 SID=0
            {(byte) 0xA8, 0x05, 0x00, 0x01, 0},           // I=1 (7-bit) L=1 SID=0
        };
        byte[][] notKeys = {
            {0x44, 0},                                    // P=1, B=0 E=1
            {0x00, 0},                                    // B=0
            {0x28, (byte) (1 << 1), 5, 0},                // SID=1: upper spatial layer
            {(byte) 0xA8, (byte) 0x85, 0x00, 0x03, 0, 0}, // 15-bit id, SID=1
        };
        for (byte[] key : keys) {
            ByteBuf buf = exact(key, 0);
            try {
                assertThat(vp9.wrap(buf, 0, key.length)).isTrue();
                assertThat(vp9.isKeyFrame()).as(Arrays.toString(key)).isTrue();
                assertThat(Vp9PayloadDescriptor.isKeyFrame(buf, 0, key.length)).isTrue();
            } finally {
                buf.release();
            }
        }
        for (byte[] notKey : notKeys) {
            ByteBuf buf = exact(notKey, 0);
            try {
                assertThat(vp9.wrap(buf, 0, notKey.length)).isTrue();
                assertThat(vp9.isKeyFrame()).as(Arrays.toString(notKey)).isFalse();
                assertThat(Vp9PayloadDescriptor.isKeyFrame(buf, 0, notKey.length)).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void rewritesPictureIdAndTl0PicIdx() {
        byte[] packet = padded(8, 0xA8, 0x85, 0x00, (1 << 5) | (0 << 1), 200);
        ByteBuf buf = exact(packet, 0);
        try {
            assertThat(vp9.wrap(buf, 0, packet.length)).isTrue();
            assertThat(vp9.pictureId()).isEqualTo(0x0500);
            assertThat(vp9.setPictureId(0x8000 + 77)).isTrue();
            assertThat(vp9.setTl0PicIdx(256 + 3)).isTrue();
            assertThat(vp9.wrap(buf, 0, packet.length)).isTrue();
            assertThat(vp9.pictureIdBits()).isEqualTo(15);
            assertThat(vp9.pictureId()).isEqualTo(77);
            assertThat(vp9.tl0PicIdx()).isEqualTo(3);
            assertThat(vp9.temporalId()).isEqualTo(1);
        } finally {
            buf.release();
        }
        ByteBuf seven = exact(ONE_BYTE_PICTURE_ID, 0);
        try {
            assertThat(vp9.wrap(seven, 0, ONE_BYTE_PICTURE_ID.length)).isTrue();
            assertThat(vp9.setPictureId(128 + 5)).isTrue();
            assertThat(vp9.pictureId()).isEqualTo(5);
            assertThat(vp9.pictureIdBits()).isEqualTo(7);
            assertThat(vp9.setTl0PicIdx(1)).isFalse();
        } finally {
            seven.release();
        }
    }

    @Test
    void rejectsEmptyTruncatedAndDescriptorOnlyPayloads() {
        for (byte[] packet : new byte[][] {{}, {0}, {(byte) 0x80}, {(byte) 0x80, (byte) 0x80}, {0x20, 0x00},
                {0x02}, {0x02, 0x10, 0, 0}, {0x02, 0x08}, {0x02, 0x08, 0x01, 0x0C}}) {
            ByteBuf buf = exact(packet, 0);
            try {
                assertThat(vp9.wrap(buf, 0, packet.length)).as(Arrays.toString(packet)).isFalse();
                assertThat(vp9.invalidReason()).isNotNull();
                assertThat(vp9.isKeyFrame()).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void fuzzNeverThrowsAndStaysInsideTheRegion() {
        AtomicInteger valid = new AtomicInteger();
        byte[][] seeds = {BASIC_HEADER, ONE_BYTE_PICTURE_ID, TWO_BYTE_PICTURE_ID, NON_FLEXIBLE_LAYERS,
            FLEXIBLE_LAYERS, REF_IDX, SS_DATA, RESOLUTION};
        CodecTestBuffers.fuzz(0x5EED_0009L, 250_000, seeds, (buf, offset, length) -> {
            boolean ok = vp9.wrap(buf, offset, length);
            boolean key = Vp9PayloadDescriptor.isKeyFrame(buf, offset, length);
            if (!ok) {
                assertThat(vp9.invalidReason()).isNotNull();
                return;
            }
            valid.incrementAndGet();
            assertThat(key).isEqualTo(vp9.isKeyFrame());
            assertThat(vp9.descriptorLength()).isBetween(1, length - 1);
            assertThat(vp9.pictureId()).isBetween(-1, 0x7fff);
            assertThat(vp9.temporalId()).isBetween(-1, 7);
            assertThat(vp9.spatialId()).isBetween(-1, 7);
            assertThat(vp9.tl0PicIdx()).isBetween(-1, 255);
            for (int i = 0; i < vp9.pDiffCount(); i++) {
                assertThat(vp9.pDiff(i)).isBetween(0, 127);
            }
            if (vp9.hasSpatialLayerResolutions()) {
                for (int layer = 0; layer < vp9.spatialLayerCount(); layer++) {
                    vp9.spatialLayerWidth(layer);
                    vp9.spatialLayerHeight(layer);
                }
            }
            for (int g = 0; g < vp9.pictureGroupCount(); g++) {
                vp9.pictureGroupTemporalId(g);
                vp9.pictureGroupSwitchingUpPoint(g);
                for (int r = 0; r < vp9.pictureGroupReferenceCount(g); r++) {
                    vp9.pictureGroupPDiff(g, r);
                }
            }
            vp9.setPictureId(vp9.pictureId() + 1);
            vp9.setTl0PicIdx(vp9.tl0PicIdx() + 1);
        });
        assertThat(valid.get()).isGreaterThan(50_000);
    }
}
