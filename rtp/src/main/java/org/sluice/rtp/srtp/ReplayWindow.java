package org.sluice.rtp.srtp;

/**
 * A sliding replay window over packet indices (RFC 3711 §3.3.2): remembers which of the last
 * {@code size} indices up to the highest one were accepted. The bitmap is circular, so sliding forward
 * clears only the bits it passes; checking and marking never allocate.
 *
 * <p>{@link #check} is side-effect free, {@link #accept} is called only after the packet authenticated.
 */
final class ReplayWindow {

    private final long[] bits;
    private final int mask;
    private long highest = -1;

    ReplayWindow(int size) {
        this.bits = new long[size >>> 6];
        this.mask = size - 1;
    }

    /** The highest index accepted so far, or -1 before the first. */
    long highest() {
        return highest;
    }

    /** {@link SrtpResult#OK}, {@link SrtpResult#REPLAYED} or {@link SrtpResult#TOO_OLD} for this index. */
    SrtpResult check(long index) {
        if (highest < 0 || index > highest) {
            return SrtpResult.OK;
        }
        if (highest - index > mask) {
            return SrtpResult.TOO_OLD;
        }
        int bit = (int) (index & mask);
        return (bits[bit >>> 6] & (1L << bit)) != 0 ? SrtpResult.REPLAYED : SrtpResult.OK;
    }

    /** Marks an authenticated index as received, sliding the window forward when it is the newest. */
    void accept(long index) {
        if (highest < 0 || index - highest > mask) {
            java.util.Arrays.fill(bits, 0L);
            highest = index;
        } else if (index > highest) {
            for (long i = highest + 1; i < index; i++) {
                int bit = (int) (i & mask);
                bits[bit >>> 6] &= ~(1L << bit);
            }
            highest = index;
        } else if (highest - index > mask) {
            return;
        }
        int bit = (int) (index & mask);
        bits[bit >>> 6] |= 1L << bit;
    }
}
