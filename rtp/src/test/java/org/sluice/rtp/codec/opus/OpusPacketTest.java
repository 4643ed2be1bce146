package org.sluice.rtp.codec.opus;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;

/** TOC decoding against RFC 6716 §3.1 Table 2 and the packet rules of §3.2 / §3.4. */
class OpusPacketTest {

    private final OpusPacket opus = new OpusPacket();

    private void parse(byte[] packet, Runnable checks) {
        ByteBuf buf = exact(packet, 12);
        try {
            assertThat(opus.wrap(buf, 12, packet.length)).as(String.valueOf(opus.invalidReason())).isTrue();
            checks.run();
        } finally {
            buf.release();
        }
    }

    @Test
    void everyConfigurationMatchesTable2() {
        // RFC 6716 Table 2: config ranges → mode, bandwidth, frame sizes.
        String[] table = {
            "SILK NARROWBAND 480 960 1920 2880",
            "SILK MEDIUMBAND 480 960 1920 2880",
            "SILK WIDEBAND 480 960 1920 2880",
            "HYBRID SUPERWIDEBAND 480 960",
            "HYBRID FULLBAND 480 960",
            "CELT NARROWBAND 120 240 480 960",
            "CELT WIDEBAND 120 240 480 960",
            "CELT SUPERWIDEBAND 120 240 480 960",
            "CELT FULLBAND 120 240 480 960",
        };
        int config = 0;
        for (String row : table) {
            String[] f = row.split(" ");
            for (int i = 2; i < f.length; i++, config++) {
                assertThat(OpusPacket.modeOf(config)).as("config %d", config).isEqualTo(OpusMode.valueOf(f[0]));
                assertThat(OpusPacket.bandwidthOf(config)).as("config %d", config)
                        .isEqualTo(OpusBandwidth.valueOf(f[1]));
                assertThat(OpusPacket.frameSamples48k(config)).as("config %d", config)
                        .isEqualTo(Integer.parseInt(f[i]));
            }
        }
        assertThat(config).isEqualTo(32);
    }

    @Test
    void hybridFullbandMonoTwentyMilliseconds() {
        // 0x78: config 15, s=0, c=0, the TOC of a typical WebRTC Opus packet.
        parse(bytes(0x78, 0x01, 0x02, 0x03), () -> {
            assertThat(opus.config()).isEqualTo(15);
            assertThat(opus.mode()).isEqualTo(OpusMode.HYBRID);
            assertThat(opus.bandwidth()).isEqualTo(OpusBandwidth.FULLBAND);
            assertThat(opus.isStereo()).isFalse();
            assertThat(opus.frameCountCode()).isZero();
            assertThat(opus.frameCount()).isEqualTo(1);
            assertThat(opus.frameDurationMicros()).isEqualTo(20_000);
            assertThat(opus.packetSamples48k()).isEqualTo(960);
            assertThat(opus.isDtx()).isFalse();
        });
    }

    @Test
    void celtStereoTwoFramesAndCode3Counts() {
        // config 16 (CELT NB 2.5 ms), stereo, code 1: two equal frames, odd total length (R3).
        parse(bytes(0x85, 0x01, 0x02, 0x03, 0x04), () -> {
            assertThat(opus.mode()).isEqualTo(OpusMode.CELT);
            assertThat(opus.isStereo()).isTrue();
            assertThat(opus.frameCount()).isEqualTo(2);
            assertThat(opus.frameDurationMicros()).isEqualTo(2_500);
            assertThat(opus.packetDurationMicros()).isEqualTo(5_000);
        });
        // config 9 (SILK WB 20 ms), code 3 with M=3: 60 ms.
        parse(bytes(0x4B, 0x03, 0x00, 0x00), () -> {
            assertThat(opus.frameCountCode()).isEqualTo(3);
            assertThat(opus.frameCount()).isEqualTo(3);
            assertThat(opus.packetDurationMicros()).isEqualTo(60_000);
        });
        // config 2 code 2 (two frames of different sizes).
        parse(bytes(0x12, 0x01, 0x00), () -> assertThat(opus.frameCount()).isEqualTo(2));
    }

    @Test
    void dtxIsAtMostTwoBytes() {
        parse(bytes(0x78), () -> assertThat(opus.isDtx()).isTrue());
        parse(bytes(0x78, 0x00), () -> assertThat(opus.isDtx()).isTrue());
        parse(bytes(0x78, 0x00, 0x00), () -> assertThat(opus.isDtx()).isFalse());
    }

    @Test
    void rejectsPacketsBreakingTheFramingRules() {
        byte[][] bad = {
            {},                        // R1: empty
            bytes(0x79, 0x00),         // R3: code 1 with an odd frame payload
            bytes(0x7A),               // code 2 without a length byte
            bytes(0x7B),               // code 3 without a count byte
            bytes(0x7B, 0x00),         // R5: code 3 with no frames
            bytes(0x5B, 0x03),         // config 11 (60 ms) × 3 = 180 ms > 120 ms
        };
        for (byte[] packet : bad) {
            ByteBuf buf = exact(packet, 0);
            try {
                assertThat(opus.wrap(buf, 0, packet.length)).isFalse();
                assertThat(opus.invalidReason()).isNotNull();
                assertThat(opus.isDtx()).isFalse();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void fuzzNeverThrows() {
        AtomicInteger valid = new AtomicInteger();
        byte[][] seeds = {bytes(0x78, 1, 2, 3), bytes(0x4B, 0x03, 0, 0), bytes(0x85, 1, 2, 3, 4), bytes(0xFC)};
        CodecTestBuffers.fuzz(0x5EED_0051L, 200_000, seeds, (buf, offset, length) -> {
            if (!opus.wrap(buf, offset, length)) {
                assertThat(opus.invalidReason()).isNotNull();
                return;
            }
            valid.incrementAndGet();
            assertThat(opus.frameCount()).isBetween(1, 48);
            assertThat(opus.packetSamples48k()).isBetween(120, OpusPacket.MAX_PACKET_SAMPLES_48K);
            assertThat(opus.mode()).isNotNull();
            assertThat(opus.bandwidth()).isNotNull();
        });
        assertThat(valid.get()).isGreaterThan(50_000);
    }
}
