package org.sluice.rtp.srtp;

import java.util.ArrayDeque;

/**
 * The streams of one session by SSRC: open addressing over an {@code int} key array, no boxing. At most
 * {@code maxStreams} streams are active; a stream whose RTP stream ended is retired ({@link #retire}) and
 * no longer counts against that limit. A retired stream keeps its state (rollover counter, replay windows,
 * SRTCP index), so the same SSRC coming back continues where it stopped instead of starting at index 0
 * again: a sender never reuses a packet index under its key, and a receiver never accepts a replay of what
 * it already took. Up to {@code maxStreams} retired streams are kept, the oldest retired forgotten first.
 *
 * <p>The table starts small and doubles as streams are added (never on the packet path of a known stream).
 */
final class SrtpStreamTable {

    private static final int INITIAL_CAPACITY = 16;

    private final int maxStreams;
    private final int maxRetired;
    private final int windowSize;
    private final ArrayDeque<SrtpStream> retired = new ArrayDeque<>();
    private int[] keys;
    private SrtpStream[] values;
    private int mask;
    /** Entries in the table, active and retired. */
    private int size;
    private int active;

    SrtpStreamTable(int maxStreams, int windowSize) {
        this.maxStreams = maxStreams;
        this.maxRetired = maxStreams;
        this.windowSize = windowSize;
        this.keys = new int[INITIAL_CAPACITY];
        this.values = new SrtpStream[INITIAL_CAPACITY];
        this.mask = INITIAL_CAPACITY - 1;
    }

    /** The stream of {@code ssrc}, active or retired ({@link SrtpStream#retired}), or null. */
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

    /** Whether another stream may become active. */
    boolean isFull() {
        return active >= maxStreams;
    }

    /** Active streams. */
    int size() {
        return active;
    }

    /** Retired streams still remembered. */
    int retiredCount() {
        return retired.size();
    }

    /** Adds an active stream for an SSRC not in the table yet; the caller checked {@link #isFull()}. */
    SrtpStream create(int ssrc) {
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        SrtpStream stream = new SrtpStream(ssrc, windowSize);
        insert(stream);
        size++;
        active++;
        return stream;
    }

    /** Makes a retired stream active again; the caller checked {@link #isFull()}. */
    void revive(SrtpStream stream) {
        if (stream.retired) {
            stream.retired = false;
            retired.remove(stream);
            active++;
        }
    }

    /**
     * Retires the stream of {@code ssrc}: it stops counting against the limit and is forgotten once
     * {@code maxStreams} streams retired after it. Returns whether an active stream was retired.
     */
    boolean retire(int ssrc) {
        SrtpStream stream = get(ssrc);
        if (stream == null || stream.retired) {
            return false;
        }
        stream.retired = true;
        active--;
        retired.addLast(stream);
        while (retired.size() > maxRetired) {
            delete(retired.pollFirst().ssrc);
        }
        return true;
    }

    private void insert(SrtpStream stream) {
        int i = slot(stream.ssrc);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = stream.ssrc;
        values[i] = stream;
    }

    /** Linear-probing deletion by backward shift: no tombstones, lookups stay short. */
    private void delete(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return;
            }
            int home = slot(keys[j]);
            // Move j back into the hole at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    private void grow() {
        SrtpStream[] old = values;
        keys = new int[old.length * 2];
        values = new SrtpStream[old.length * 2];
        mask = values.length - 1;
        for (SrtpStream stream : old) {
            if (stream != null) {
                insert(stream);
            }
        }
    }

    private int slot(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
