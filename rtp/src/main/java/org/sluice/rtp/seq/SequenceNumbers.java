package org.sluice.rtp.seq;

/**
 * Arithmetic on 16-bit RTP sequence numbers with wrap-around (RFC 3550 §A.1 style): a number is
 * newer than another when it is ahead by less than half the space. At exactly half the space the
 * larger raw value counts as newer, so {@code isNewer(a, b)} and {@code isNewer(b, a)} are never
 * both true.
 */
public final class SequenceNumbers {

    /** Size of the sequence number space. */
    public static final int MODULUS = 1 << 16;

    private SequenceNumbers() {
    }

    /** Whether {@code a} comes after {@code b}. Only the low 16 bits of each are used. */
    public static boolean isNewer(int a, int b) {
        int delta = (a - b) & 0xFFFF;
        if (delta == 0x8000) {
            return (a & 0xFFFF) > (b & 0xFFFF);
        }
        return delta != 0 && delta < 0x8000;
    }

    /** The signed distance from {@code b} to {@code a}, in -32768..32767. */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** {@code seq + delta} modulo 2^16. */
    public static int add(int seq, int delta) {
        return (seq + delta) & 0xFFFF;
    }

    /** The newer of two sequence numbers. */
    public static int latest(int a, int b) {
        return isNewer(a, b) ? a & 0xFFFF : b & 0xFFFF;
    }
}
