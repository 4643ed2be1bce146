package org.sluice.core.conference;

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
     * @param trackId       the track
     * @param packetsSent   RTP packets forwarded to it
     * @param packetsResent packets resent after its NACKs
     * @param fractionLost  the loss it last reported, 0..1
     * @param jitter        the interarrival jitter it last reported, in RTP timestamp units
     * @param framesDropped frames left out by its layer limits
     */
    public record ReceiveStats(String trackId, long packetsSent, long packetsResent, double fractionLost, long jitter,
                               long framesDropped) {
    }

    /**
     * One published track's counters.
     *
     * @param trackId     the track
     * @param packetsIn   RTP packets received for it (all layers)
     * @param octetsIn    RTP payload octets received for it
     * @param subscribers participants receiving it
     * @param activeLayers a simulcast video track's rids, lowest first, each with whether dynacast has the publisher
     *                     send it now (empty for other tracks)
     * @param layerToggles layers dynacast switched on or off for this track so far
     */
    public record TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers,
                             Map<String, Boolean> activeLayers, long layerToggles) {
        public TrackStats {
            activeLayers = Collections.unmodifiableMap(new LinkedHashMap<>(activeLayers));
        }

        /** A track without simulcast layers. */
        public TrackStats(String trackId, long packetsIn, long octetsIn, int subscribers) {
            this(trackId, packetsIn, octetsIn, subscribers, Map.of(), 0);
        }
    }
}
