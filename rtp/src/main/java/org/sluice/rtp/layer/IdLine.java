package org.sluice.rtp.layer;

/**
 * One rewritten id line of a receiver's stream (a picture id, a TL0PICIDX): maps the source's ids to the
 * receiver's so that ids the SFU dropped leave no hole, while ids lost before the SFU still do (a receiver
 * must see that loss, not decode with a wrong reference).
 *
 * <p>The output id of a forwarded source id is {@code source - offset}, computed on unwrapped (64-bit) ids;
 * each id {@link #drop dropped} ahead of every id seen so far increments the offset for the ids after it.
 * Without upstream loss, the output ids therefore count the forwarded ids. A short history of recent ids
 * with the offset in effect after each one resolves late (reordered or retransmitted) packets to the id
 * they were, or would have been, forwarded with. A late id that was dropped, or older than the history,
 * is refused. {@link #rebase()} makes the next forwarded id continue at the last output id + 1 whatever
 * the source's id is (a switch to another simulcast encoding). Source ids may be 7, 8 or 15 bits wide; a
 * change of width is handled like a rebase. Output ids are {@code outBits} wide.
 */
final class IdLine {

    /** Recent source ids remembered for late packets. */
    static final int HISTORY = 64;

    private final int outMask;
    private final long[] historySource = new long[HISTORY];
    private final long[] historyOffset = new long[HISTORY];
    private final boolean[] historyDropped = new boolean[HISTORY];
    private int historySize;
    private int historyNext;

    private boolean started;
    private boolean rebasePending;
    private int sourceBits;
    private long newest;
    private long offset;
    private boolean newestDropped;
    private long lastOut;
    private boolean anyOut;

    IdLine(int outBits) {
        this.outMask = (1 << outBits) - 1;
    }

    /** The next forwarded id continues at the last output id + 1. */
    void rebase() {
        rebasePending = true;
    }

    /** The last output id, or -1 before the first. */
    int lastOut() {
        return anyOut ? (int) (lastOut & outMask) : -1;
    }

    /**
     * The output id of a forwarded packet carrying source id {@code id} ({@code bits} wide), or -1 when the
     * id cannot be given one (dropped earlier, or older than the history).
     */
    int forward(int id, int bits) {
        int source = id & ((1 << bits) - 1);
        if (!started || rebasePending || bits != sourceBits) {
            start(source, bits);
        }
        long unwrapped = unwrap(source);
        if (unwrapped > newest) {
            newest = unwrapped;
            newestDropped = false;
            remember(unwrapped, offset, false);
            return out(unwrapped - offset);
        }
        if (unwrapped == newest) {
            return newestDropped ? -1 : out(unwrapped - offset);
        }
        return resolve(unwrapped, true);
    }

    /**
     * The output id a source id has or would have had, without recording anything (references of a
     * forwarded picture), or -1 when it was dropped or is unknown.
     */
    int lookup(int id, int bits) {
        if (!started || rebasePending || bits != sourceBits) {
            return -1;
        }
        long unwrapped = unwrap(id & ((1 << bits) - 1));
        if (unwrapped > newest) {
            return -1;
        }
        if (unwrapped == newest) {
            return newestDropped ? -1 : (int) ((unwrapped - offset) & outMask);
        }
        return resolve(unwrapped, false);
    }

    /** Records that every packet with source id {@code id} is dropped; repeated calls are harmless. */
    void drop(int id, int bits) {
        if (!started || rebasePending || bits != sourceBits) {
            return; // the first forwarded id defines the line
        }
        long unwrapped = unwrap(id & ((1 << bits) - 1));
        if (unwrapped > newest) {
            offset++;
            newest = unwrapped;
            newestDropped = true;
            remember(unwrapped, offset, true);
        }
        // A late id first seen as dropped: ids after it are out already, so it just leaves a hole.
    }

    private void start(int source, int bits) {
        long next = anyOut ? lastOut + 1 : source;
        sourceBits = bits;
        newest = source;
        offset = source - next;
        newestDropped = false;
        historySize = 0;
        historyNext = 0;
        started = true;
        rebasePending = false;
        newest = source - 1; // so that the caller's id is the newest and recorded
    }

    private long unwrap(int source) {
        int mask = (1 << sourceBits) - 1;
        int half = 1 << (sourceBits - 1);
        int delta = (source - (int) (newest & mask)) & mask;
        if (delta >= half) {
            delta -= mask + 1;
        }
        return newest + delta;
    }

    private int resolve(long unwrapped, boolean record) {
        int nearest = -1;
        for (int i = 0; i < historySize; i++) {
            long s = historySource[i];
            if (s == unwrapped) {
                return historyDropped[i] ? -1 : out(historySource[i] - historyOffset[i], record);
            }
            if (s < unwrapped && (nearest < 0 || s > historySource[nearest])) {
                nearest = i;
            }
        }
        if (nearest < 0) {
            return -1;
        }
        long off = historyOffset[nearest];
        if (record) {
            remember(unwrapped, off, false);
        }
        return out(unwrapped - off, record);
    }

    private int out(long value) {
        return out(value, true);
    }

    private int out(long value, boolean record) {
        if (record && (!anyOut || value > lastOut)) {
            lastOut = value;
            anyOut = true;
        }
        return (int) (value & outMask);
    }

    private void remember(long source, long off, boolean dropped) {
        historySource[historyNext] = source;
        historyOffset[historyNext] = off;
        historyDropped[historyNext] = dropped;
        historyNext = (historyNext + 1) % HISTORY;
        if (historySize < HISTORY) {
            historySize++;
        }
    }
}
