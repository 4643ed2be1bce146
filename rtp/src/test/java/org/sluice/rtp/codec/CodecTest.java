package org.sluice.rtp.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodecTest {

    @Test
    void encodingNamesAndClockRatesMatchTheRtpPayloadFormats() {
        assertThat(Codec.OPUS.encodingName()).isEqualTo("opus");   // RFC 7587 §7: opus/48000/2
        assertThat(Codec.OPUS.clockRate()).isEqualTo(48_000);
        assertThat(Codec.OPUS.channels()).isEqualTo(2);
        assertThat(Codec.OPUS.isVideo()).isFalse();
        for (Codec video : new Codec[] {Codec.VP8, Codec.VP9, Codec.H264, Codec.AV1}) {
            assertThat(video.clockRate()).isEqualTo(90_000);
            assertThat(video.isVideo()).isTrue();
        }
        assertThat(Codec.fromEncodingName("vp8")).isEqualTo(Codec.VP8);
        assertThat(Codec.fromEncodingName("H264")).isEqualTo(Codec.H264);
        assertThat(Codec.fromEncodingName("Av1")).isEqualTo(Codec.AV1);
        assertThat(Codec.fromEncodingName("OPUS")).isEqualTo(Codec.OPUS);
        assertThat(Codec.fromEncodingName("VP9")).isEqualTo(Codec.VP9);
        assertThat(Codec.fromEncodingName("H265")).isNull();
        assertThat(Codec.fromEncodingName(null)).isNull();
    }
}
