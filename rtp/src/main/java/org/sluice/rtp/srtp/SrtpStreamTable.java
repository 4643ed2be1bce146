package org.sluice.rtp.srtp;

/**
 * The streams of one session by SSRC: open addressing over an {@code int} key array, no boxing, a fixed
 * capacity allocated up front. Streams are never removed; the session's key lifetime bounds them.
 */
final class SrtpStreamTable {

    private final int[] keys;
    private final SrtpStream[] values;
    private final int mask;
    private final int maxStreams;
    private final int windowSize;
    private int size;

    SrtpStreamTable(int maxStreams, int windowSize) {
        int capacity = Integer.highestOneBit(Math.max(2, maxStreams) * 2 - 1) << 1;
        this.keys = new int[capacity];
        this.values = new SrtpStream[capacity];
        this.mask = capacity - 1;
        this.maxStreams = maxStreams;
        this.windowSize = windowSize;
    }

    SrtpStream get(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null) {
            if (keys[i] == ssrc) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    boolean isFull() {
        return size >= maxStreams;
    }

    int size() {
        return size;
    }

    /** Adds a stream for an SSRC not in the table yet; the caller checked {@link #isFull()}. */
    SrtpStream create(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        SrtpStream stream = new SrtpStream(ssrc, windowSize);
        keys[i] = ssrc;
        values[i] = stream;
        size++;
        return stream;
    }

    private int slot(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
