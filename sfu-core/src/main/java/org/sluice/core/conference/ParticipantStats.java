package org.sluice.core.conference;

import java.time.Instant;
import java.util.List;

/**
 * A participant with live counters, for operators.
 *
 * @param info          who it is and what it publishes
 * @param joinedAt      when it joined
 * @param state         {@code new} (no offer yet), {@code connecting}, {@code connected}, {@code detached}
 *                      (signaling lost, in its grace period)
 * @param packetsIn     RTP packets received from it
 * @param octetsIn      RTP payload octets received from it
 * @param packetsOut    RTP packets forwarded to it
 * @param octetsOut     RTP payload octets forwarded to it
 * @param tracks        per published track counters
 * @param subscriptions the track ids it receives
 */
public record ParticipantStats(ParticipantInfo info, Instant joinedAt, String state, long packetsIn, long octetsIn,
                               long packetsOut, long octetsOut, List<TrackStats> tracks, List<String> subscriptions) {

    public ParticipantStats {
        tracks = List.copyOf(tracks);
        subscriptions = List.copyOf(subscriptions);
    }

    /**
     * One published track's counters.
     *
     * @param trackId     the track
     * @param packetsIn   RTP packets received for it (all layers)
     * @param octetsIn    RTP payload octets received for it
     * @param subscribers participants receiving it
     */
    public record TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers) {
    }
}
