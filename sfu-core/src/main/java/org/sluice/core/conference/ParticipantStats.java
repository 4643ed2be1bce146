package org.sluice.core.conference;

import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.OutboundStreamStats;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param link          its downlink as the engine sees it: bandwidth estimate, allocation, round trip, pacer
 * @param received      per received track: what was sent, resent and what the participant reports of it
 */
public record ParticipantStats(ParticipantInfo info, Instant joinedAt, String state, long packetsIn, long octetsIn,
                               long packetsOut, long octetsOut, List<TrackStats> tracks, List<String> subscriptions,
                               LinkStats link, List<ReceiveStats> received) {

    public ParticipantStats {
        tracks = List.copyOf(tracks);
        subscriptions = List.copyOf(subscriptions);
        received = List.copyOf(received);
    }

    /** Without link and per-subscription figures (a participant that has no transport yet). */
    public ParticipantStats(ParticipantInfo info, Instant joinedAt, String state, long packetsIn, long octetsIn,
                            long packetsOut, long octetsOut, List<TrackStats> tracks, List<String> subscriptions) {
        this(info, joinedAt, state, packetsIn, octetsIn, packetsOut, octetsOut, tracks, subscriptions, LinkStats.NONE,
                List.of());
    }

    /**
     * The participant's downlink.
     *
     * @param estimateBps  the send-side bandwidth estimate from its transport-cc feedback, 0 without feedback
     * @param allocatedBps what the allocator gave its streams at the last allocation
     * @param rttMillis    the round trip from its reports, -1 before the first
     * @param pacerQueue   packets waiting in its pacer
     * @param probePackets padding packets sent to probe its link
     */
    public record LinkStats(long estimateBps, long allocatedBps, double rttMillis, int pacerQueue, long probePackets) {
        public static final LinkStats NONE = new LinkStats(0, 0, -1, 0, 0);
    }

    /**
     * One track the participant receives.
     *
     * @param trackId the track
     * @param stream  what was sent, resent and left out, and what the participant's receiver reports say of it
     * @param pause   why it receives nothing of the track now, null when it receives it
     * @param layer   the simulcast layer (index, lowest 0) it is placed on, -1 for a track without simulcast
     * @param bandwidthLayer the highest layer its bandwidth allows (its allocator's), -1 when that sets no limit
     * @param wantedLayer    the layer its preferences choose if every layer arrived, -1 without simulcast
     */
    public record ReceiveStats(String trackId, OutboundStreamStats stream, PauseCause pause, int layer,
                               int bandwidthLayer, int wantedLayer) {

        public ReceiveStats(String trackId, OutboundStreamStats stream, PauseCause pause) {
            this(trackId, stream, pause, -1, -1, -1);
        }
    }

    /**
     * One published track's counters.
     *
     * @param trackId     the track
     * @param packetsIn   RTP packets received for it (all layers)
     * @param octetsIn    RTP payload octets received for it
     * @param subscribers participants receiving it
     * @param streams     each stream arriving for it (one per simulcast layer): jitter and per-layer rates
     * @param activeLayers a simulcast video track's rids, lowest first, each with whether dynacast has the publisher
     *                     send it now (empty for other tracks)
     * @param layerToggles layers dynacast switched on or off for this track so far
     */
    public record TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers,
                             List<InboundStreamStats> streams, Map<String, Boolean> activeLayers, long layerToggles) {
        public TrackStats {
            streams = List.copyOf(streams);
            activeLayers = Collections.unmodifiableMap(new LinkedHashMap<>(activeLayers));
        }

        /** Without stream figures. */
        public TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers,
                          Map<String, Boolean> activeLayers, long layerToggles) {
            this(trackId, packetsIn, octetsIn, subscribers, List.of(), activeLayers, layerToggles);
        }

        /** Without stream figures, for a track without simulcast layers. */
        public TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers) {
            this(trackId, packetsIn, octetsIn, subscribers, List.of(), Map.of(), 0);
        }
    }
}
