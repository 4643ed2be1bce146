package org.sluice.core.sctp;

/** A message queued for sending and its partial-reliability limits; fragments are cut as it goes out. */
final class OutboundMessage {
    final int streamId;
    final int ppid;
    final byte[] data;
    final boolean unordered;
    /** Retransmissions allowed per chunk, or -1 for no limit. */
    final int maxRetransmits;
    /** Give up after this time (nanos), or {@link Long#MAX_VALUE}. */
    final long expiresNanos;
    int ssn = -1;
    int nextOffset;
    boolean abandoned;

    OutboundMessage(int streamId, int ppid, byte[] data, boolean unordered, int maxRetransmits, long expiresNanos) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.data = data;
        this.unordered = unordered;
        this.maxRetransmits = maxRetransmits;
        this.expiresNanos = expiresNanos;
    }

    boolean partiallyReliable() {
        return maxRetransmits >= 0 || expiresNanos != Long.MAX_VALUE;
    }

    boolean fullySent() {
        return nextOffset >= data.length;
    }
}
