package org.sluice.rtp.seq;

/**
 * Extends 16-bit sequence numbers to a 64-bit count that keeps growing across wrap-arounds.
 *
 * <p>Each number is placed relative to the previous one by the shortest signed distance, so
 * packets reordered across a wrap (65535 after 0) land in the right cycle. The first number maps
 * to itself; numbers older than the first may come out negative. Not thread-safe.
 */
public final class SequenceUnwrapper {

    private long last;
    private boolean started;

    /** The 64-bit value of {@code seq} (only its low 16 bits are used). */
    public long unwrap(int seq) {
        int s = seq & 0xFFFF;
        if (!started) {
            started = true;
            last = s;
            return s;
        }
        last += SequenceNumbers.diff(s, (int) last);
        return last;
    }

    /** What {@link #unwrap} would return for {@code seq}, without remembering it. */
    public long peek(int seq) {
        int s = seq & 0xFFFF;
        return started ? last + SequenceNumbers.diff(s, (int) last) : s;
    }

    /** Forgets all history; the next number maps to itself again. */
    public void reset() {
        started = false;
        last = 0;
    }
}
