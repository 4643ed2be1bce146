package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;
import java.util.SplittableRandom;

/** Test helpers: hex vectors, exact-capacity buffers (so any over-read throws) and a fuzz driver. */
public final class CodecTestBuffers {

    private CodecTestBuffers() {
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /**
     * A heap buffer whose capacity is exactly {@code prefix + data.length}, holding {@code data} at
     * absolute offset {@code prefix}: reading one byte past the payload throws.
     */
    public static ByteBuf exact(byte[] data, int prefix) {
        byte[] backing = new byte[prefix + data.length];
        for (int i = 0; i < prefix; i++) {
            backing[i] = (byte) 0xEE;
        }
        System.arraycopy(data, 0, backing, prefix, data.length);
        return Unpooled.wrappedBuffer(backing);
    }

    /** A parser under fuzz: must not throw, whatever it is given. */
    @FunctionalInterface
    public interface Parser {
        void parse(ByteBuf buf, int offset, int length);
    }

    /**
     * Runs {@code cases} inputs through {@code parser}: random bytes, valid seeds with random bit
     * flips, truncated seeds, seeds with trailing junk, and region arguments that lie (length past the
     * buffer's end, negative offsets). Every buffer has exact capacity. Exceptions propagate and fail
     * the calling test.
     */
    public static void fuzz(long seed, int cases, byte[][] seeds, Parser parser) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < cases; n++) {
            byte[] input = generate(random, seeds);
            int prefix = random.nextInt(4) == 0 ? 0 : random.nextInt(16);
            ByteBuf buf = exact(input, prefix);
            try {
                int kind = random.nextInt(40);
                if (kind == 0) {
                    parser.parse(buf, prefix, input.length + 1 + random.nextInt(8));
                } else if (kind == 1) {
                    parser.parse(buf, -1 - random.nextInt(4), input.length);
                } else if (kind == 2) {
                    parser.parse(buf, prefix, -1 - random.nextInt(4));
                } else if (kind == 3) {
                    parser.parse(buf, Integer.MAX_VALUE - random.nextInt(4), Integer.MAX_VALUE);
                } else {
                    parser.parse(buf, prefix, input.length);
                }
            } finally {
                buf.release();
            }
        }
    }

    private static byte[] generate(SplittableRandom random, byte[][] seeds) {
        int kind = random.nextInt(5);
        if (kind == 0 || seeds.length == 0) {
            byte[] out = new byte[random.nextInt(40)];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) random.nextInt(256);
            }
            return out;
        }
        byte[] seed = seeds[random.nextInt(seeds.length)];
        switch (kind) {
            case 1: { // truncated
                byte[] out = new byte[random.nextInt(seed.length + 1)];
                System.arraycopy(seed, 0, out, 0, out.length);
                return out;
            }
            case 2: { // oversized: trailing junk
                byte[] out = new byte[seed.length + 1 + random.nextInt(32)];
                System.arraycopy(seed, 0, out, 0, seed.length);
                for (int i = seed.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
                return out;
            }
            default: { // bit flips, maybe truncated as well
                byte[] out = seed.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && out.length > 0; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (kind == 4 && out.length > 0) {
                    byte[] cut = new byte[random.nextInt(out.length + 1)];
                    System.arraycopy(out, 0, cut, 0, cut.length);
                    return cut;
                }
                return out;
            }
        }
    }
}
