package org.sluice.api.conference;

import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.core.conference.ParticipantStats;

/** The engine's own counters for one conference participant, read directly (not over HTTP). */
final class ServerCounters {

    private ServerCounters() {
    }

    /** RTP packets the server has forwarded to participant {@code id} of {@code room} (0 if it is not there). */
    static long packetsOut(LoopbackMediaServer server, String room, String id) throws Exception {
        for (ParticipantStats p : server.engine().conferences().participants(room)) {
            if (p.info().id().equals(id)) {
                return p.packetsOut();
            }
        }
        return 0;
    }

    /** The track ids the server forwards to participant {@code id} of {@code room} (empty if it is not there). */
    static java.util.List<String> subscriptions(LoopbackMediaServer server, String room, String id) throws Exception {
        for (ParticipantStats p : server.engine().conferences().participants(room)) {
            if (p.info().id().equals(id)) {
                return p.subscriptions();
            }
        }
        return java.util.List.of();
    }
}
