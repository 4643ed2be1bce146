package org.sluice.core.session;

import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.OutboundStreamStats;

import java.util.List;

/**
 * A WHIP/WHEP room as operators see it: what its publisher sends and, per viewer, its downlink and each stream it
 * receives (whether the viewer's allocator holds it for bandwidth, what the viewer's reports say). Immutable.
 *
 * @param room      the room's name
 * @param publisher its publisher now, null when none
 * @param viewers   its viewers
 * @param repairWindowMillis how long the room holds its publisher's video behind a hole, 0 when it does not
 */
public record BroadcastStats(String room, Publisher publisher, List<Viewer> viewers, long repairWindowMillis) {

    public BroadcastStats {
        viewers = List.copyOf(viewers);
    }

    /** A room without a repair window. */
    public BroadcastStats(String room, Publisher publisher, List<Viewer> viewers) {
        this(room, publisher, viewers, 0);
    }

    /**
     * @param sessionId   the WHIP session
     * @param streams     each stream arriving (one per simulcast encoding, and audio)
     * @param capBps      the REMB cap on its send rate because no viewer can use a layer, -1 for none
     * @param cappedLayer the simulcast layer (index, lowest 0) the cap makes it stop, -1 for none
     * @param relayFrom   for a relay from the broadcast's origin on another node: that cluster member; else null
     */
    public record Publisher(String sessionId, List<InboundStreamStats> streams, long capBps, int cappedLayer,
                            String relayFrom) {
        public Publisher {
            streams = List.copyOf(streams);
        }

        public Publisher(String sessionId, List<InboundStreamStats> streams, long capBps, int cappedLayer) {
            this(sessionId, streams, capBps, cappedLayer, null);
        }

        public Publisher(String sessionId, List<InboundStreamStats> streams) {
            this(sessionId, streams, -1, -1);
        }
    }

    /**
     * @param sessionId    the WHEP session
     * @param estimateBps  the send-side bandwidth estimate from its feedback, 0 without feedback
     * @param allocatedBps what its allocator gave its streams at the last allocation
     * @param rttMillis    the round trip from its reports, -1 before one
     * @param streams      each stream sent to it
     * @param relayTo      for a relay to another node (an edge of this room): that cluster member; else null
     */
    public record Viewer(String sessionId, long estimateBps, long allocatedBps, double rttMillis,
                         List<OutboundStreamStats> streams, String relayTo) {
        public Viewer {
            streams = List.copyOf(streams);
        }

        public Viewer(String sessionId, long estimateBps, long allocatedBps, double rttMillis,
                      List<OutboundStreamStats> streams) {
            this(sessionId, estimateBps, allocatedBps, rttMillis, streams, null);
        }
    }
}
