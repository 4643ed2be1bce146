package org.sluice.rtp.rtcp;

/**
 * A feedback view whose FCI is a non-empty list of fixed-size entries (NACK PID/BLP pairs, FIR
 * requests): the FCI check, the entry count and the bounds-checked entry position live here.
 * Package-private base of {@link NackView} and {@link FirView}.
 */
abstract class FeedbackListView extends FeedbackPacketView {
    private final int entrySize;
    private final String badFci;
    private int entries;

    /**
     * @param entrySize bytes per FCI entry
     * @param badFci    the constant reason when the FCI is empty or not a whole number of entries
     */
    FeedbackListView(int packetType, int fmt, int entrySize, String badFci) {
        super(packetType, fmt);
        this.entrySize = entrySize;
        this.badFci = badFci;
    }

    @Override
    final void clearFci() {
        entries = 0;
    }

    @Override
    final String checkFci(int fciLength) {
        if (fciLength < entrySize || fciLength % entrySize != 0) {
            return badFci;
        }
        entries = fciLength / entrySize;
        return null;
    }

    /** Number of FCI entries of the last valid wrap, 0 after a failed one. */
    final int entries() {
        return entries;
    }

    /** Absolute index of entry i; throws {@link IndexOutOfBoundsException} outside the list. */
    final int entryAt(int i) {
        if (i < 0 || i >= entries) {
            throw new IndexOutOfBoundsException(i);
        }
        return offset + FeedbackHeader.SIZE + entrySize * i;
    }
}
