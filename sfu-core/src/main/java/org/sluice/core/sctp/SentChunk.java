package org.sluice.core.sctp;

/** One DATA chunk with a TSN, kept until the peer acknowledges it cumulatively or it is abandoned. */
final class SentChunk {
    final int tsn;
    final OutboundMessage message;
    final int offset;
    final int length;
    final int flags;
    long sentNanos;
    int transmissions;
    int missIndications;
    boolean gapAcked;
    boolean retransmit;
    boolean abandoned;
    /** Fast-retransmitted once already; further losses wait for the T3 timer. */
    boolean fastRetransmitted;

    SentChunk(int tsn, OutboundMessage message, int offset, int length, int flags) {
        this.tsn = tsn;
        this.message = message;
        this.offset = offset;
        this.length = length;
        this.flags = flags;
    }

    /** Counted in the flight size: sent, not acknowledged, not waiting for retransmission, not abandoned. */
    boolean inFlight() {
        return !gapAcked && !retransmit && !abandoned;
    }
}
