package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtcp;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtp;

/**
 * Hostile input: random bytes, truncated, bit-flipped and oversized versions of valid packets, fed to
 * unprotect for every profile. Nothing may throw, nothing hostile may authenticate, and no stream may appear
 * for a packet that did not authenticate.
 */
class SrtpFuzzTest {

    private static final int CASES_PER_PROFILE = 60_000;

    @Test
    void unprotectSurvivesHostileInput() {
        SplittableRandom random = new SplittableRandom(0x5eed_5a7L);
        int total = 0;
        int unexpectedOk = 0;
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpSession sender = SrtpSessionTest.session(profile);
            SrtpSession receiver = new SrtpSession(profile, SrtpSessionTest.key(profile), SrtpSessionTest.salt(profile),
                    new SrtpSessionConfig(8, 128));
            byte[][] validRtp = new byte[16][];
            byte[][] validRtcp = new byte[16][];
            for (int i = 0; i < validRtp.length; i++) {
                validRtp[i] = protect(sender, rtp(0x100 + i % 4, 60000 + i * 300, i, i % 3, i % 2 == 0, i * 40, i), true);
                validRtcp[i] = protect(sender, rtcp(0x200 + i % 4, i), false);
            }
            ByteBuf heap = Unpooled.buffer(4096);
            ByteBuf direct = Unpooled.directBuffer(4096);
            try {
                for (int c = 0; c < CASES_PER_PROFILE; c++, total++) {
                    boolean isRtcp = random.nextBoolean();
                    byte[] input = mutate(random, isRtcp ? validRtcp : validRtp);
                    ByteBuf buf = random.nextBoolean() ? heap : direct;
                    buf.clear().writeBytes(input);
                    SrtpResult result = isRtcp ? receiver.unprotectRtcp(buf) : receiver.unprotectRtp(buf);
                    assertThat(result).isNotNull();
                    if (result == SrtpResult.OK) {
                        unexpectedOk++;
                    } else {
                        assertThat(buf.readableBytes()).isEqualTo(input.length);
                    }
                }
            } finally {
                heap.release();
                direct.release();
            }
            assertThat(receiver.streamCount()).as(profile.name()).isLessThanOrEqualTo(8);
        }
        assertThat(total).isGreaterThanOrEqualTo(200_000);
        // Only unmodified valid packets (the "no mutation" branch, first delivery) may authenticate.
        assertThat(unexpectedOk).isLessThanOrEqualTo(4 * 32);
    }

    @Test
    void protectSurvivesArbitraryInputAndArguments() {
        SplittableRandom random = new SplittableRandom(77);
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpSession sender = new SrtpSession(profile, SrtpSessionTest.key(profile), SrtpSessionTest.salt(profile),
                    new SrtpSessionConfig(4, 64));
            ByteBuf in = Unpooled.buffer(2048);
            ByteBuf out = Unpooled.buffer(64, 1600);
            try {
                for (int c = 0; c < 10_000; c++) {
                    byte[] input = new byte[random.nextInt(0, 1500)];
                    for (int i = 0; i < input.length; i++) {
                        input[i] = (byte) random.nextInt(256);
                    }
                    if (input.length > 0 && random.nextBoolean()) {
                        input[0] = (byte) (0x80 | random.nextInt(0x40));
                    }
                    in.clear().writeBytes(input);
                    out.clear();
                    SrtpResult result = switch (random.nextInt(4)) {
                        case 0 -> sender.protectRtp(in, out);
                        case 1 -> sender.protectRtcp(in, out);
                        case 2 -> sender.protectRtpInPlace(in);
                        default -> {
                            out.writeBytes(input, 0, Math.min(input.length, random.nextInt(0, 64)));
                            yield sender.protectRtp(out, random.nextInt(-4, 70), in, random.nextInt(-4, 1600),
                                    random.nextInt(-4, 1600));
                        }
                    };
                    assertThat(result).isNotNull();
                }
            } finally {
                in.release();
                out.release();
            }
        }
    }

    private static byte[] protect(SrtpSession sender, byte[] plain, boolean isRtp) {
        ByteBuf in = Unpooled.wrappedBuffer(plain);
        ByteBuf out = Unpooled.buffer(plain.length + 32);
        try {
            assertThat(isRtp ? sender.protectRtp(in, out) : sender.protectRtcp(in, out)).isEqualTo(SrtpResult.OK);
            return SrtpTestPackets.bytes(out);
        } finally {
            in.release();
            out.release();
        }
    }

    private static byte[] mutate(SplittableRandom random, byte[][] valid) {
        byte[] base = valid[random.nextInt(valid.length)];
        switch (random.nextInt(6)) {
            case 0: { // random bytes, sometimes with a plausible first byte
                byte[] b = new byte[random.nextInt(0, 1500)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
                if (b.length > 0 && random.nextBoolean()) {
                    b[0] = (byte) (0x80 | random.nextInt(0x40));
                }
                return b;
            }
            case 1: // truncated
                return java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
            case 2: { // bit flips
                byte[] b = base.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && b.length > 0; i++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 3: { // oversized: garbage appended
                byte[] b = java.util.Arrays.copyOf(base, base.length + 1 + random.nextInt(64));
                for (int i = base.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 4: { // header claims more CSRCs / a longer extension than the packet holds
                byte[] b = base.clone();
                if (b.length > 16) {
                    b[0] = (byte) (b[0] | 0x1f);
                    b[14] = (byte) 0xff;
                    b[15] = (byte) 0xff;
                }
                return b;
            }
            default: // unmodified (replay after the first delivery)
                return base.clone();
        }
    }
}
