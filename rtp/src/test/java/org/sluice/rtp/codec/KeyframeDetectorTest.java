package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

class KeyframeDetectorTest {

    private static boolean key(Codec codec, byte[] payload) {
        ByteBuf buf = exact(payload, 12);
        try {
            return KeyframeDetector.isKeyframe(codec, buf, 12, payload.length);
        } finally {
            buf.release();
        }
    }

    @Test
    void answersPerCodec() {
        // VP8: GStreamer intra_picid24 (key) vs the same with P=1.
        assertThat(key(Codec.VP8, hex("9080 18 f00700 9d012a b000 9000"))).isTrue();
        assertThat(key(Codec.VP8, hex("9080 18 f10700 9d012a b000 9000"))).isFalse();
        // VP9: B=1 P=0 (libwebrtc ParseFirstPacketInKeyFrame) vs P=1.
        assertThat(key(Codec.VP9, bytes(0x08, 0x00))).isTrue();
        assertThat(key(Codec.VP9, bytes(0x44, 0x00))).isFalse();
        // H.264: STAP-A with an IDR, FU-A start of an IDR, a lone non-IDR slice.
        assertThat(key(Codec.H264, bytes(24, 0, 2, 7, 0x42, 0, 3, 5, 0x88, 0x84))).isTrue();
        assertThat(key(Codec.H264, bytes(28, 0x85, 0x88))).isTrue();
        assertThat(key(Codec.H264, bytes(28, 0x05, 0x88))).isFalse();
        assertThat(key(Codec.H264, bytes(0x41, 0x9a))).isFalse();
        // AV1 aggregation header: N=1 starts a coded video sequence.
        assertThat(key(Codec.AV1, bytes(0x18, 0x0a, 0x0b))).isTrue();
        assertThat(key(Codec.AV1, bytes(0x10, 0x32, 0x00))).isFalse();
        // Opus: every packet stands alone.
        assertThat(key(Codec.OPUS, bytes(0x78, 0x01))).isTrue();
    }

    @Test
    void emptyNullAndOutOfBoundsAreNotKeyframes() {
        for (Codec codec : Codec.values()) {
            assertThat(key(codec, new byte[0])).isFalse();
            assertThat(KeyframeDetector.isKeyframe(codec, null, 0, 1)).isFalse();
            ByteBuf buf = exact(bytes(0x10, 0x00), 0);
            try {
                assertThat(KeyframeDetector.isKeyframe(codec, buf, 1, 2)).isFalse();
                assertThat(KeyframeDetector.isKeyframe(codec, buf, -1, 1)).isFalse();
            } finally {
                buf.release();
            }
        }
        assertThat(key(null, bytes(0x10, 0x00))).isFalse();
    }

    @Test
    void fuzzNeverThrows() {
        Codec[] codecs = Codec.values();
        int[] index = {0};
        CodecTestBuffers.fuzz(0x5EED_0C0DL, 200_000, new byte[][] {hex("9080 18 f00700 9d012a b000 9000"),
            bytes(0x08, 0x00), bytes(24, 0, 2, 7, 0x42, 0, 3, 5, 0x88, 0x84), bytes(0x18, 0x0a)},
            (buf, offset, length) -> KeyframeDetector.isKeyframe(codecs[index[0]++ % codecs.length], buf, offset, length));
    }
}
