package org.sluice.rtp.seq;

/**
 * Extends 32-bit RTP timestamps to a 64-bit value that keeps growing across wrap-arounds, placing
 * each timestamp relative to the previous one by the shortest signed distance (tolerant to
 * reordering around the wrap). The first timestamp maps to itself; older ones may come out
 * negative. Not thread-safe.
 */
public final class TimestampUnwrapper {

    private long last;
    private boolean started;

    /** The 64-bit value of {@code timestamp} (only its low 32 bits are used). */
    public long unwrap(long timestamp) {
        long t = timestamp & 0xFFFFFFFFL;
        if (!started) {
            started = true;
            last = t;
            return t;
        }
        last += RtpTimestamps.diff(t, last);
        return last;
    }

    /** What {@link #unwrap} would return, without remembering it. */
    public long peek(long timestamp) {
        long t = timestamp & 0xFFFFFFFFL;
        return started ? last + RtpTimestamps.diff(t, last) : t;
    }

    /** Forgets all history. */
    public void reset() {
        started = false;
        last = 0;
    }
}
