package org.sluice.core.forward;

/**
 * One receiver's sequence-number line for the current source: maps the source's 16-bit sequence
 * numbers onto ours so the receiver sees one continuous line across source changes, with no number
 * used twice and no hole for packets we drop on purpose (a receiver NACKs every hole, and nobody
 * could answer for those). Pure arithmetic, owned by one {@link OutboundStream} on its loop.
 */
final class SequenceLine {

    /** {@link #admit} result: older than the line's start, so it would reuse our numbers; drop it. */
    static final int REFUSED = -1;
    /** {@link #admit} result: a reordered packet older than the newest seen. */
    static final int OLDER = 0;
    /** {@link #admit} result: the newest packet of the source so far. */
    static final int NEWEST = 1;

    /** Packets this far past a line's start end the check for reordered older ones. */
    private static final int LINE_START_GUARD = 0x1000;
    /** Skipped packets remembered individually before the oldest is folded into the delta. */
    private static final int SKIP_HISTORY = 16;

    private int lastSequence;
    private int sequenceDelta;
    /** The source's sequence number where our line for it starts; older packets are refused. */
    private int lineStart;
    /** The newest sequence number of the current source seen so far. */
    private int highestSource;
    /** Whether packets are still checked against {@link #lineStart} (until the line is well past it). */
    private boolean guardLineStart;
    /** Source sequence numbers skipped on purpose, oldest first. */
    private final int[] skipped = new int[SKIP_HISTORY];
    private int skippedCount;

    /** A line whose last sent number is {@code lastSequence} (random for a new receiver). */
    SequenceLine(int lastSequence) {
        this.lastSequence = lastSequence & 0xFFFF;
    }

    /** Our next number goes to the source's {@code sourceSequence}; older ones are refused. */
    void restart(int sourceSequence) {
        sequenceDelta = (lastSequence + 1 - sourceSequence) & 0xFFFF;
        lineStart = sourceSequence;
        highestSource = (sourceSequence - 1) & 0xFFFF; // the first packet counts as the newest
        guardLineStart = true;
        skippedCount = 0;
    }

    /** Classifies a packet of the current source: {@link #REFUSED}, {@link #OLDER} or {@link #NEWEST}. */
    int admit(int sourceSequence) {
        if (guardLineStart) {
            int sinceStart = (sourceSequence - lineStart) & 0xFFFF;
            if (sinceStart >= 0x8000) {
                return REFUSED;
            }
            if (sinceStart >= LINE_START_GUARD) {
                guardLineStart = false; // far enough along that wrap-around cannot be mistaken for age
            }
        }
        int ahead = (sourceSequence - highestSource) & 0xFFFF;
        if (ahead == 0 || ahead >= 0x8000) {
            return OLDER;
        }
        highestSource = sourceSequence;
        while (skippedCount > 0 && ((sourceSequence - skipped[0]) & 0xFFFF) >= LINE_START_GUARD) {
            foldOldestSkip(); // far behind: fold it before its distance could read as "ahead"
        }
        return NEWEST;
    }

    /**
     * Remembers a packet that is not forwarded so the numbers after it close the hole. Only the
     * newest packet so far can be skipped; a reordered older one already has numbers around it. The
     * oldest entry of a full history is folded into the delta.
     */
    void skip(int sourceSequence, int admitted) {
        if (admitted != NEWEST) {
            return;
        }
        if (skippedCount == skipped.length) {
            foldOldestSkip();
        }
        skipped[skippedCount++] = sourceSequence;
    }

    /** Our sequence number for the source's {@code sourceSequence}. */
    int number(int sourceSequence) {
        return (sourceSequence + sequenceDelta - skippedBefore(sourceSequence)) & 0xFFFF;
    }

    /** Records that {@code sequence} went out; true when it is the newest of our line. */
    boolean sent(int sequence) {
        if (((sequence - lastSequence) & 0xFFFF) < 0x8000) {
            lastSequence = sequence;
            return true;
        }
        return false;
    }

    /** Moves the oldest skip into the delta; packets older than it can no longer be numbered. */
    private void foldOldestSkip() {
        sequenceDelta = (sequenceDelta - 1) & 0xFFFF;
        lineStart = skipped[0];
        guardLineStart = true;
        System.arraycopy(skipped, 1, skipped, 0, skippedCount - 1);
        skippedCount--;
    }

    /** How many skipped packets precede {@code sourceSequence}. */
    private int skippedBefore(int sourceSequence) {
        int n = 0;
        for (int i = 0; i < skippedCount; i++) {
            int distance = (sourceSequence - skipped[i]) & 0xFFFF;
            if (distance != 0 && distance < 0x8000) {
                n++;
            }
        }
        return n;
    }
}
