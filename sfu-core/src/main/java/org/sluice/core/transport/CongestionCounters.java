package org.sluice.core.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's send-side congestion control counters, summed over every receiver transport: feedback received,
 * probes sent, packets the pacer queued and dropped. Striped adders updated on the media loops, read by metrics.
 */
public final class CongestionCounters {

    /** transport-cc feedback (and REMB) packets from receivers. */
    public final LongAdder feedbackReceived = new LongAdder();
    /** Padding packets sent in probe clusters, and their bytes. */
    public final LongAdder probePackets = new LongAdder();
    public final LongAdder probeBytes = new LongAdder();
    /** Media packets that waited in a pacer rather than leaving at once. */
    public final LongAdder pacedPackets = new LongAdder();
    /** Packets a pacer dropped (queued too long, or its queue full). */
    public final LongAdder pacerDrops = new LongAdder();
    /** REMBs a receiver sent while its transport-cc feedback flowed, ignored (that feedback is the estimate's). */
    public final LongAdder rembsIgnored = new LongAdder();
    /** REMBs sent to publishers (their estimate where they lack transport-cc, or a cap on what they send). */
    public final LongAdder rembsSent = new LongAdder();
    /**
     * Times a WHIP publisher's send rate was capped by REMB because no viewer could use its highest simulcast layer
     * (the cap descends until the publisher stops sending that layer).
     */
    public final LongAdder publisherLayerCaps = new LongAdder();
    /** Videos a receiver's allocator held because not even their lowest layer fit its estimate after audio. */
    public final LongAdder bandwidthPauses = new LongAdder();
}
