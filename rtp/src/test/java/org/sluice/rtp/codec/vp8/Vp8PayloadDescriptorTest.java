package org.sluice.rtp.codec.vp8;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

class Vp8PayloadDescriptorTest {

    /**
     * GStreamer's VP8 depayloader test, {@code intra_picid6336_seqnum0} (gst-plugins-good
     * tests/check/elements/rtpvp8.c), RTP header removed: X=1 S=1 PID=0, I=1 with a 15-bit picture
     * id 6336, then a VP8 key frame (P=0) whose header says 176x144.
     */
    static final byte[] GST_KEY_FRAME_PICID_6336 =
            hex("9080 98c0 f00700 9d012a b000 9000 0647088585889984 8821");
    /** The same frame with a 7-bit picture id 24 ({@code intra_picid24_seqnum0}). */
    static final byte[] GST_KEY_FRAME_PICID_24 = hex("9080 18 f00700 9d012a b000 9000 0647088585889984 8821");
    /** The same frame with X=1 but no I bit ({@code intra_nopicid_seqnum0}). */
    static final byte[] GST_KEY_FRAME_NO_PICID = hex("9000 f00700 9d012a b000 9000 0647088585889984 8821");

    /**
     * Every optional field of the RFC 7741 §4.2 diagram: X=1 N=1 S=1 PID=0; I L T K; M=1 picture
     * id 0x1234; TL0PICIDX 0x56; TID=2 Y=1 KEYIDX=5; then an inter frame (P=1).
     */
    static final byte[] ALL_FIELDS = bytes(0xB0, 0xF0, 0x92, 0x34, 0x56, 0xA5, 0x01, 0x00, 0x00);

    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();

    @Test
    void parsesGstreamerKeyFrameWith15BitPictureId() {
        ByteBuf buf = exact(GST_KEY_FRAME_PICID_6336, 12);
        try {
            assertThat(vp8.wrap(buf, 12, GST_KEY_FRAME_PICID_6336.length)).isTrue();
            assertThat(vp8.invalidReason()).isNull();
            assertThat(vp8.hasExtension()).isTrue();
            assertThat(vp8.isStartOfPartition()).isTrue();
            assertThat(vp8.partitionIndex()).isZero();
            assertThat(vp8.isStartOfFrame()).isTrue();
            assertThat(vp8.isNonReference()).isFalse();
            assertThat(vp8.pictureIdBits()).isEqualTo(15);
            assertThat(vp8.pictureId()).isEqualTo(6336);
            assertThat(vp8.hasTl0PicIdx()).isFalse();
            assertThat(vp8.tid()).isEqualTo(-1);
            assertThat(vp8.keyIdx()).isEqualTo(-1);
            assertThat(vp8.descriptorLength()).isEqualTo(4);
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.hasResolution()).isTrue();
            assertThat(vp8.width()).isEqualTo(176);
            assertThat(vp8.height()).isEqualTo(144);
            assertThat(vp8.horizontalScale()).isZero();
            assertThat(Vp8PayloadDescriptor.isKeyFrame(buf, 12, GST_KEY_FRAME_PICID_6336.length)).isTrue();
        } finally {
            buf.release();
        }
    }

    @Test
    void parsesGstreamerKeyFrameWith7BitAndWithoutPictureId() {
        ByteBuf buf = exact(GST_KEY_FRAME_PICID_24, 0);
        ByteBuf none = exact(GST_KEY_FRAME_NO_PICID, 0);
        try {
            assertThat(vp8.wrap(buf, 0, GST_KEY_FRAME_PICID_24.length)).isTrue();
            assertThat(vp8.pictureIdBits()).isEqualTo(7);
            assertThat(vp8.pictureId()).isEqualTo(24);
            assertThat(vp8.descriptorLength()).isEqualTo(3);
            assertThat(vp8.width()).isEqualTo(176);

            assertThat(vp8.wrap(none, 0, GST_KEY_FRAME_NO_PICID.length)).isTrue();
            assertThat(vp8.hasPictureId()).isFalse();
            assertThat(vp8.pictureId()).isEqualTo(-1);
            assertThat(vp8.setPictureId(5)).isFalse();
            assertThat(vp8.descriptorLength()).isEqualTo(2);
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.height()).isEqualTo(144);
        } finally {
            buf.release();
            none.release();
        }
    }

    /** libwebrtc's old RTPPayloadParser test "PictureID": {0xA0, 0x80, 17}: N=1 S=0, 7-bit id 17. */
    @Test
    void parsesLibwebrtcPictureIdVector() {
        ByteBuf buf = exact(bytes(0xA0, 0x80, 17, 0, 0, 0, 0, 0, 0, 0), 0);
        try {
            assertThat(vp8.wrap(buf, 0, 10)).isTrue();
            assertThat(vp8.isNonReference()).isTrue();
            assertThat(vp8.isStartOfPartition()).isFalse();
            assertThat(vp8.isStartOfFrame()).isFalse();
            assertThat(vp8.pictureId()).isEqualTo(17);
            assertThat(vp8.pictureIdBits()).isEqualTo(7);
            assertThat(vp8.isKeyFrame()).isFalse();
            assertThat(vp8.width()).isEqualTo(-1);
        } finally {
            buf.release();
        }
    }

    @Test
    void parsesEveryOptionalField() {
        ByteBuf buf = exact(ALL_FIELDS, 3);
        try {
            assertThat(vp8.wrap(buf, 3, ALL_FIELDS.length)).isTrue();
            assertThat(vp8.isNonReference()).isTrue();
            assertThat(vp8.pictureId()).isEqualTo(0x1234);
            assertThat(vp8.tl0PicIdx()).isEqualTo(0x56);
            assertThat(vp8.tid()).isEqualTo(2);
            assertThat(vp8.layerSync()).isTrue();
            assertThat(vp8.keyIdx()).isEqualTo(5);
            assertThat(vp8.descriptorLength()).isEqualTo(6);
            assertThat(vp8.isStartOfFrame()).isTrue();
            assertThat(vp8.isKeyFrame()).isFalse();
            assertThat(Vp8PayloadDescriptor.isKeyFrame(buf, 3, ALL_FIELDS.length)).isFalse();
        } finally {
            buf.release();
        }
    }

    /** A hand-built 1280x720 key frame header (RFC 6386 §9.1), with and without scaling bits. */
    @Test
    void readsKeyFrameResolutionAndScaling() {
        // X=0 S=1 PID=0 | frame tag (P=0, version 0, show_frame) | start code | 1280 LE | 720 LE
        byte[] plain = bytes(0x10, 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02);
        // horizontal scale 1 (5/4) and vertical scale 3 (2x): top two bits of each 16-bit field
        byte[] scaled = bytes(0x10, 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x45, 0xd0, 0xc2);
        ByteBuf a = exact(plain, 0);
        ByteBuf b = exact(scaled, 0);
        try {
            assertThat(vp8.wrap(a, 0, plain.length)).isTrue();
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.width()).isEqualTo(1280);
            assertThat(vp8.height()).isEqualTo(720);
            assertThat(vp8.horizontalScale()).isZero();
            assertThat(vp8.verticalScale()).isZero();

            assertThat(vp8.wrap(b, 0, scaled.length)).isTrue();
            assertThat(vp8.width()).isEqualTo(1280);
            assertThat(vp8.height()).isEqualTo(720);
            assertThat(vp8.horizontalScale()).isEqualTo(1);
            assertThat(vp8.verticalScale()).isEqualTo(3);

            // Cut one byte short of the height: still a key frame, but no resolution.
            assertThat(vp8.wrap(a, 0, plain.length - 1)).isTrue();
            assertThat(vp8.isKeyFrame()).isTrue();
            assertThat(vp8.hasResolution()).isFalse();
            assertThat(vp8.width()).isEqualTo(-1);

            // A wrong start code: key frame by the P bit, but no size is trusted.
            byte[] badStart = plain.clone();
            badStart[5] = 0x02;
            ByteBuf c = exact(badStart, 0);
            try {
                assertThat(vp8.wrap(c, 0, badStart.length)).isTrue();
                assertThat(vp8.hasResolution()).isFalse();
            } finally {
                c.release();
            }
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void interFrameAndLaterPartitionsAreNotKeyFrames() {
        byte[] inter = bytes(0x10, 0x51, 0x2a, 0x00);          // P=1
        byte[] laterPartition = bytes(0x11, 0x50, 0x2a, 0x00); // PID=1
        byte[] continuation = bytes(0x00, 0x50, 0x2a, 0x00);   // S=0
        for (byte[] payload : new byte[][] {inter, laterPartition, continuation}) {
            ByteBuf buf = exact(payload, 0);
            try {
                assertThat(vp8.wrap(buf, 0, payload.length)).isTrue();
                assertThat(vp8.isKeyFrame()).isFalse();
                assertThat(Vp8PayloadDescriptor.isKeyFrame(buf, 0, payload.length)).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void rewritesPictureIdKeepingWidth() {
        byte[] seven = GST_KEY_FRAME_PICID_24.clone();
        ByteBuf buf = exact(seven, 5);
        try {
            assertThat(vp8.wrap(buf, 5, seven.length)).isTrue();
            assertThat(vp8.setPictureId(127)).isTrue();
            assertThat(vp8.pictureId()).isEqualTo(127);
            assertThat(vp8.setPictureId(128)).isTrue(); // 7-bit ids wrap at 128
            assertThat(vp8.pictureId()).isZero();
            assertThat(vp8.setPictureId(200)).isTrue();
            assertThat(vp8.pictureId()).isEqualTo(200 - 128);
            assertThat(buf.getByte(5 + 2) & 0x80).isZero(); // M stays 0
            // Re-parsing sees the same layout: nothing else moved.
            assertThat(vp8.wrap(buf, 5, seven.length)).isTrue();
            assertThat(vp8.pictureIdBits()).isEqualTo(7);
            assertThat(vp8.pictureId()).isEqualTo(72);
            assertThat(vp8.width()).isEqualTo(176);
        } finally {
            buf.release();
        }

        byte[] fifteen = GST_KEY_FRAME_PICID_6336.clone();
        ByteBuf wide = exact(fifteen, 0);
        try {
            assertThat(vp8.wrap(wide, 0, fifteen.length)).isTrue();
            assertThat(vp8.setPictureId(0x7fff)).isTrue();
            assertThat(vp8.pictureId()).isEqualTo(0x7fff);
            assertThat(vp8.setPictureId(0x8000 + 9)).isTrue(); // 15-bit ids wrap at 2^15
            assertThat(vp8.pictureId()).isEqualTo(9);
            assertThat((int) wide.getUnsignedByte(2)).isEqualTo(0x80); // M kept
            assertThat((int) wide.getUnsignedByte(3)).isEqualTo(9);
            assertThat(vp8.wrap(wide, 0, fifteen.length)).isTrue();
            assertThat(vp8.pictureIdBits()).isEqualTo(15);
            assertThat(vp8.pictureId()).isEqualTo(9);
        } finally {
            wide.release();
        }
    }

    @Test
    void rewritesTl0PicIdxTidAndKeyIdxInPlace() {
        byte[] all = ALL_FIELDS.clone();
        ByteBuf buf = exact(all, 0);
        try {
            assertThat(vp8.wrap(buf, 0, all.length)).isTrue();
            assertThat(vp8.setTl0PicIdx(300)).isTrue();
            assertThat(vp8.tl0PicIdx()).isEqualTo(300 & 0xff);
            assertThat(vp8.setTid(1)).isTrue();
            assertThat(vp8.tid()).isEqualTo(1);
            assertThat(vp8.layerSync()).isTrue();
            assertThat(vp8.keyIdx()).isEqualTo(5);
            assertThat(vp8.setKeyIdx(33)).isTrue();
            assertThat(vp8.keyIdx()).isEqualTo(1);
            assertThat(vp8.tid()).isEqualTo(1);
            assertThat(vp8.layerSync()).isTrue();
            assertThat(vp8.pictureId()).isEqualTo(0x1234);
            assertThat(all).isEqualTo(ALL_FIELDS); // the test buffer copied; the source is untouched
            assertThat((int) buf.getUnsignedByte(4)).isEqualTo(44);
            assertThat((int) buf.getUnsignedByte(5)).isEqualTo(0b01_1_00001);
        } finally {
            buf.release();
        }

        ByteBuf bare = exact(bytes(0x10, 0x00), 0);
        try {
            assertThat(vp8.wrap(bare, 0, 2)).isTrue();
            assertThat(vp8.setTl0PicIdx(1)).isFalse();
            assertThat(vp8.setTid(1)).isFalse();
            assertThat(vp8.setKeyIdx(1)).isFalse();
        } finally {
            bare.release();
        }
    }

    @Test
    void rejectsTruncatedDescriptorsWithConstantReasons() {
        for (int length = 0; length <= 6; length++) {
            ByteBuf buf = exact(java.util.Arrays.copyOf(ALL_FIELDS, length), 0);
            try {
                assertThat(vp8.wrap(buf, 0, length)).as("length %d", length).isFalse();
                assertThat(vp8.invalidReason()).isIn(Vp8PayloadDescriptor.REASON_EMPTY,
                        Vp8PayloadDescriptor.REASON_TRUNCATED_DESCRIPTOR, Vp8PayloadDescriptor.REASON_NO_PAYLOAD);
                assertThat(vp8.pictureId()).isEqualTo(-1);
                assertThat(vp8.isStartOfFrame()).isFalse();
            } finally {
                buf.release();
            }
        }
        ByteBuf buf = exact(ALL_FIELDS, 0);
        try {
            assertThat(vp8.wrap(buf, 1, ALL_FIELDS.length)).isFalse();
            assertThat(vp8.invalidReason()).isEqualTo(Vp8PayloadDescriptor.REASON_BOUNDS);
            assertThat(vp8.wrap(null, 0, 1)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void fuzzNeverThrowsAndStaysInsideTheRegion() {
        AtomicInteger valid = new AtomicInteger();
        byte[][] seeds = {GST_KEY_FRAME_PICID_6336, GST_KEY_FRAME_PICID_24, GST_KEY_FRAME_NO_PICID, ALL_FIELDS};
        CodecTestBuffers.fuzz(0x5EED_0008L, 250_000, seeds, (buf, offset, length) -> {
            boolean ok = vp8.wrap(buf, offset, length);
            boolean key = Vp8PayloadDescriptor.isKeyFrame(buf, offset, length);
            if (!ok) {
                assertThat(vp8.invalidReason()).isNotNull();
                assertThat(key).isFalse();
                return;
            }
            valid.incrementAndGet();
            assertThat(key).isEqualTo(vp8.isKeyFrame());
            assertThat(vp8.descriptorLength()).isBetween(1, Math.min(6, length - 1));
            assertThat(vp8.pictureId()).isBetween(-1, 0x7fff);
            assertThat(vp8.tl0PicIdx()).isBetween(-1, 255);
            assertThat(vp8.tid()).isBetween(-1, 3);
            assertThat(vp8.keyIdx()).isBetween(-1, 31);
            assertThat(vp8.width()).isBetween(-1, 0x3fff);
            assertThat(vp8.height()).isBetween(-1, 0x3fff);
            vp8.layerSync();
            vp8.setPictureId(vp8.pictureId() + 1);
            vp8.setTl0PicIdx(vp8.tl0PicIdx() + 1);
            vp8.setTid(1);
            vp8.setKeyIdx(2);
        });
        assertThat(valid.get()).isGreaterThan(50_000);
    }
}
