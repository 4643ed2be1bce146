package org.sluice.core.engine;

import java.util.function.LongSupplier;
import org.sluice.core.broadcast.BroadcastSession;
import org.sluice.core.broadcast.ViewerSession;

/**
 * Engine-wide forwarding totals of WHEP viewers and conference participants alike without a shared counter on the packet path: live sessions are summed
 * when asked (their per-stream counters are plain loop-confined fields), and a session's final counts
 * move into the retired totals when it ends. Retiring and leaving the live set happen under the same
 * lock as a sum, so no sum sees a session twice and a total never goes backwards (packets a closing
 * session still sends after it retired are not counted). The lock is taken per scrape and per session
 * end, never per packet.
 */
final class ForwardingTotals {

    private long retiredPackets;
    private long retiredOctets;


    /** Moves an ended session's counts into the retired totals, then runs {@code leaveLiveSet}. */
    synchronized void retire(BroadcastSession session, Runnable leaveLiveSet) {
        if (session instanceof ViewerSession viewer) {
            retiredPackets += viewer.packetsSent();
            retiredOctets += viewer.octetsSent();
        }
        leaveLiveSet.run();
    }

    /** Moves an ended conference participant's counts into the retired totals, then runs {@code leaveLiveSet}. */
    synchronized void retire(long packets, long octets, Runnable leaveLiveSet) {
        retiredPackets += packets;
        retiredOctets += octets;
        leaveLiveSet.run();
    }

    synchronized long packetsForwarded(Iterable<BroadcastSession> live, LongSupplier liveConferences) {
        long sum = retiredPackets + liveConferences.getAsLong();
        for (BroadcastSession session : live) {
            if (session instanceof ViewerSession viewer) {
                sum += viewer.packetsSent();
            }
        }
        return sum;
    }

    synchronized long octetsForwarded(Iterable<BroadcastSession> live, LongSupplier liveConferences) {
        long sum = retiredOctets + liveConferences.getAsLong();
        for (BroadcastSession session : live) {
            if (session instanceof ViewerSession viewer) {
                sum += viewer.octetsSent();
            }
        }
        return sum;
    }
}
