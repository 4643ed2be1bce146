package org.sluice.rtp.codec.av1;

import java.io.ByteArrayOutputStream;

/** Test-only MSB-first bit writer with the AV1 {@code f(n)} and {@code ns(n)} encodings. */
public final class BitWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int bits;

    public BitWriter f(long value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            current = (current << 1) | (int) ((value >>> i) & 1);
            bits++;
            if (bits == 8) {
                out.write(current);
                current = 0;
                bits = 0;
            }
        }
        return this;
    }

    public BitWriter flag(boolean value) {
        return f(value ? 1 : 0, 1);
    }

    /** {@code ns(n)} encoding of {@code value} in [0, n). */
    public BitWriter ns(int value, int n) {
        if (n <= 1) {
            return this;
        }
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        if (value < m) {
            return f(value, w - 1);
        }
        f((value + m) >>> 1, w - 1);
        return f((value + m) & 1, 1);
    }

    /** The bytes written, zero-padded to a whole byte. */
    public byte[] toBytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        byte[] done = out.toByteArray();
        copy.write(done, 0, done.length);
        if (bits > 0) {
            copy.write(current << (8 - bits));
        }
        return copy.toByteArray();
    }
}
