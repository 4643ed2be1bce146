package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for {@link XrView}, as {@link RtcpFuzzTest} does for the other views: random bytes,
 * valid XR packets truncated, extended or with bits flipped, each in an exact-size buffer so any
 * read past the end throws, and random (possibly out of range) regions. Nothing may throw; a packet
 * the view accepts must be fully walkable inside its region.
 */
class XrFuzzTest {

    private static final int CASES = 200_000;

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        ByteBuf b = Unpooled.buffer();
        try {
            XrWriter.writeRrtr(b, 1, 0xE1234567_89ABCDEFL);
            seeds.add(take(b));
            XrWriter.writeDlrr(b, 1, 2, 3, 4);
            seeds.add(take(b));
            seeds.add(Bytes.array(
                    0x80, 207, 0x00, 0x0F, 0, 0, 0, 7,
                    0x01, 0x33, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8,
                    0x05, 0x00, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6,
                    0x04, 0x00, 0x00, 0x02, 0, 0, 0, 9, 0, 0, 0, 10,
                    0x2A, 0x00, 0x00, 0x00));
        } finally {
            b.release();
        }
        return seeds;
    }

    private static byte[] take(ByteBuf b) {
        byte[] out = Bytes.readable(b);
        b.clear();
        return out;
    }

    private static byte[] nextInput(SplittableRandom rnd, List<byte[]> seeds) {
        int kind = rnd.nextInt(4);
        byte[] data;
        if (kind == 0) {
            data = new byte[rnd.nextInt(0, 80)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(256);
            }
            if (data.length > 3) {
                data[0] = (byte) (0x80 | rnd.nextInt(64));
                data[1] = (byte) 207;
                data[2] = 0;
                data[3] = (byte) (data.length / 4 - 1 + rnd.nextInt(-1, 2));
            }
            if (data.length > 11 && rnd.nextBoolean()) {
                data[8] = (byte) rnd.nextInt(3, 7);
                data[10] = 0;
                data[11] = (byte) rnd.nextInt(0, 8);
            }
            return data;
        }
        byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
        if (kind == 1) {
            data = Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
        } else if (kind == 2) {
            data = Arrays.copyOf(seed, seed.length + 4 * rnd.nextInt(1, 10));
            for (int i = seed.length; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(256);
            }
            data[3] = (byte) (data.length / 4 - 1);
        } else {
            data = seed.clone();
        }
        for (int f = rnd.nextInt(0, 4); f > 0 && data.length > 0; f--) {
            data[rnd.nextInt(data.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return data;
    }

    @Test
    void seedsAreValid() {
        XrView xr = new XrView();
        for (byte[] seed : seeds()) {
            assertThat(xr.wrap(Unpooled.wrappedBuffer(seed), 0, seed.length)).as(xr.invalidReason()).isTrue();
        }
    }

    @Test
    void xrViewNeverThrowsNorReadsOutsideThePacket() {
        List<byte[]> seeds = seeds();
        SplittableRandom rnd = new SplittableRandom(19);
        XrView xr = new XrView();
        int accepted = 0;
        int blocks = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] data = nextInput(rnd, seeds);
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            try {
                int[][] regions = {{0, data.length}, {rnd.nextInt(-2, data.length + 3), rnd.nextInt(-2, data.length + 6)}};
                for (int[] r : regions) {
                    if (!xr.wrap(buf, r[0], r[1])) {
                        assertThat(xr.invalidReason()).isNotNull();
                        assertThat(xr.nextBlock()).isFalse();
                        assertThat(xr.findRrtr()).isFalse();
                        continue;
                    }
                    accepted++;
                    xr.senderSsrc();
                    int n = 0;
                    while (xr.nextBlock()) {
                        n++;
                        assertThat(xr.blockOffset() + xr.blockLength()).isLessThanOrEqualTo(r[0] + r[1]);
                        xr.blockType();
                        xr.blockTypeSpecific();
                        xr.rrtrNtpTimestamp();
                        xr.rrtrNtpMiddle32();
                        for (int s = -1; s <= xr.dlrrCount(); s++) {
                            xr.dlrrSsrc(s);
                            xr.dlrrLastRr(s);
                            xr.dlrrDelaySinceLastRr(s);
                        }
                    }
                    blocks += n;
                    assertThat(n).isEqualTo(xr.blockCount());
                    xr.findRrtr();
                    xr.findDlrr(2);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw on " + ByteBufUtil.hexDump(data), e);
            } finally {
                buf.release();
            }
        }
        assertThat(accepted).isGreaterThan(CASES / 20);
        assertThat(blocks).isGreaterThan(CASES / 20);
    }
}
