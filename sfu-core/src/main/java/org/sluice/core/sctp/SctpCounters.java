package org.sluice.core.sctp;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of SCTP activity; one instance may be shared by every association of a process
 * (thread-safe). Each drop names its reason.
 */
public final class SctpCounters {
    final LongAdder packetsReceived = new LongAdder();
    final LongAdder packetsSent = new LongAdder();
    /** Too short, bad checksum, chunk lengths overrunning the packet. */
    final LongAdder packetsMalformed = new LongAdder();
    /** Wrong verification tag or port. */
    final LongAdder packetsBadTag = new LongAdder();
    /** A chunk whose value does not hold what its type needs, or an unknown chunk that stops processing. */
    final LongAdder chunksMalformed = new LongAdder();
    /** COOKIE ECHO with a bad signature, expired, or malformed. */
    final LongAdder cookiesRejected = new LongAdder();
    final LongAdder dataChunksReceived = new LongAdder();
    final LongAdder dataChunksDuplicate = new LongAdder();
    /** DATA outside the receive window or beyond the reassembly buffer. */
    final LongAdder dataChunksDropped = new LongAdder();
    /** Messages larger than the maximum message size, discarded. */
    final LongAdder messagesOversize = new LongAdder();
    final LongAdder messagesDelivered = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    /** Messages given up under partial reliability (maxRetransmits or maxPacketLifeTime). */
    final LongAdder messagesAbandoned = new LongAdder();
    /** send() refused: queue full, too large, not established, bad stream. */
    final LongAdder sendsRefused = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder fastRetransmissions = new LongAdder();
    final LongAdder retransmissionTimeouts = new LongAdder();
    final LongAdder associationsEstablished = new LongAdder();
    /** Associations ended by a peer that stopped acknowledging (too many retransmission timeouts). */
    final LongAdder associationsTimedOut = new LongAdder();
    /** Associations ended by a peer sending INIT after INIT while established. */
    final LongAdder associationsInitFlood = new LongAdder();
    final LongAdder associationsAborted = new LongAdder();
    final LongAdder streamResets = new LongAdder();

    public long packetsReceived() { return packetsReceived.sum(); }
    public long packetsSent() { return packetsSent.sum(); }
    public long packetsMalformed() { return packetsMalformed.sum(); }
    public long packetsBadTag() { return packetsBadTag.sum(); }
    public long chunksMalformed() { return chunksMalformed.sum(); }
    public long cookiesRejected() { return cookiesRejected.sum(); }
    public long dataChunksReceived() { return dataChunksReceived.sum(); }
    public long dataChunksDuplicate() { return dataChunksDuplicate.sum(); }
    public long dataChunksDropped() { return dataChunksDropped.sum(); }
    public long messagesOversize() { return messagesOversize.sum(); }
    public long messagesDelivered() { return messagesDelivered.sum(); }
    public long messagesSent() { return messagesSent.sum(); }
    public long messagesAbandoned() { return messagesAbandoned.sum(); }
    public long sendsRefused() { return sendsRefused.sum(); }
    public long retransmissions() { return retransmissions.sum(); }
    public long fastRetransmissions() { return fastRetransmissions.sum(); }
    public long retransmissionTimeouts() { return retransmissionTimeouts.sum(); }
    public long associationsEstablished() { return associationsEstablished.sum(); }
    public long associationsTimedOut() { return associationsTimedOut.sum(); }
    public long associationsInitFlood() { return associationsInitFlood.sum(); }
    public long associationsAborted() { return associationsAborted.sum(); }
    public long streamResets() { return streamResets.sum(); }

    /** Every dropped packet or chunk, whatever the reason. */
    public long drops() {
        return packetsMalformed() + packetsBadTag() + chunksMalformed() + cookiesRejected() + dataChunksDropped()
                + messagesOversize();
    }

    @Override
    public String toString() {
        return "SctpCounters{rx=" + packetsReceived() + ", tx=" + packetsSent() + ", malformed=" + packetsMalformed()
                + ", badTag=" + packetsBadTag() + ", badChunks=" + chunksMalformed() + ", delivered="
                + messagesDelivered() + ", abandoned=" + messagesAbandoned() + ", rtx=" + retransmissions()
                + ", fastRtx=" + fastRetransmissions() + ", t3=" + retransmissionTimeouts() + '}';
    }
}
