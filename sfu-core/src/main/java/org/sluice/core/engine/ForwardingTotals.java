package org.sluice.core.engine;

import org.sluice.core.broadcast.BroadcastSession;
import org.sluice.core.broadcast.PublisherSession;
import org.sluice.core.broadcast.ViewerSession;

import java.util.concurrent.atomic.LongAdder;

/**
 * Engine-wide forwarding totals without a shared counter on the packet path: live sessions are summed
 * when asked (their per-stream counters are plain loop-confined fields), and a session's final counts
 * move into the retired totals when it ends. Retiring happens before the session leaves the live set,
 * so a total never goes backwards (it may count an ending session twice for an instant).
 */
final class ForwardingTotals {

    private final LongAdder retiredPackets = new LongAdder();
    private final LongAdder retiredOctets = new LongAdder();
    private final LongAdder retiredKeyframeRequests = new LongAdder();

    /** Moves an ended session's counts into the retired totals. */
    void retire(BroadcastSession session) {
        if (session instanceof ViewerSession viewer) {
            retiredPackets.add(viewer.packetsSent());
            retiredOctets.add(viewer.octetsSent());
        } else if (session instanceof PublisherSession publisher) {
            retiredKeyframeRequests.add(publisher.keyframeRequestsSent());
        }
    }

    long packetsForwarded(Iterable<BroadcastSession> live) {
        long sum = retiredPackets.sum();
        for (BroadcastSession session : live) {
            if (session instanceof ViewerSession viewer) {
                sum += viewer.packetsSent();
            }
        }
        return sum;
    }

    long octetsForwarded(Iterable<BroadcastSession> live) {
        long sum = retiredOctets.sum();
        for (BroadcastSession session : live) {
            if (session instanceof ViewerSession viewer) {
                sum += viewer.octetsSent();
            }
        }
        return sum;
    }

    long keyframeRequestsSent(Iterable<BroadcastSession> live) {
        long sum = retiredKeyframeRequests.sum();
        for (BroadcastSession session : live) {
            if (session instanceof PublisherSession publisher) {
                sum += publisher.keyframeRequestsSent();
            }
        }
        return sum;
    }
}
