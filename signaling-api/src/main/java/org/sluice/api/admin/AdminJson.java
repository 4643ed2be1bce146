package org.sluice.api.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.RoomInfo;
import org.sluice.core.conference.TrackInfo;

/** The admin API's JSON shapes of the engine's rooms and participants. */
final class AdminJson {

    private AdminJson() {
    }

    static JsonObject room(RoomInfo room) {
        return new JsonObject()
                .put("name", room.name())
                .put("createdAt", room.createdAt() == null ? null : room.createdAt().toString())
                .put("participants", room.participants())
                .put("tracks", room.tracks())
                .put("maxParticipants", room.maxParticipants());
    }

    static JsonObject participant(ParticipantStats stats) {
        Map<String, ParticipantStats.TrackStats> counters = stats.tracks().stream()
                .collect(Collectors.toMap(ParticipantStats.TrackStats::trackId, Function.identity(), (a, b) -> a));
        JsonArray tracks = new JsonArray();
        for (TrackInfo track : stats.info().tracks()) {
            tracks.add(track(track, counters.get(track.id())));
        }
        return new JsonObject()
                .put("id", stats.info().id())
                .put("name", stats.info().name())
                .put("metadata", metadata(stats.info().metadata()))
                .put("joinedAt", stats.joinedAt() == null ? null : stats.joinedAt().toString())
                .put("state", stats.state())
                .put("packetsIn", stats.packetsIn())
                .put("bytesIn", stats.octetsIn())
                .put("packetsOut", stats.packetsOut())
                .put("bytesOut", stats.octetsOut())
                .put("tracks", tracks)
                .put("subscriptions", new JsonArray(stats.subscriptions()))
                .put("link", link(stats.link()))
                .put("received", received(stats.received()));
    }

    private static JsonObject link(ParticipantStats.LinkStats link) {
        return new JsonObject()
                .put("estimateBps", link.estimateBps())
                .put("allocatedBps", link.allocatedBps())
                .put("rttMs", link.rttMillis() < 0 ? null : link.rttMillis())
                .put("pacerQueue", link.pacerQueue())
                .put("probePackets", link.probePackets());
    }

    private static JsonArray received(List<ParticipantStats.ReceiveStats> received) {
        JsonArray out = new JsonArray();
        for (ParticipantStats.ReceiveStats r : received) {
            JsonObject json = MediaStatsJson.outbound(r.stream(), new JsonObject().put("trackId", r.trackId()));
            out.add(json
                    .put("state", r.pause() == null ? "active" : "paused")
                    .put("reason", r.pause() == null ? null : r.pause().wireName())
                    .put("layer", r.layer() < 0 ? null : r.layer())
                    .put("bandwidthLayer", r.bandwidthLayer() < 0 ? null : r.bandwidthLayer())
                    .put("wantedLayer", r.wantedLayer() < 0 ? null : r.wantedLayer()));
        }
        return out;
    }

    private static JsonObject track(TrackInfo track, ParticipantStats.TrackStats counters) {
        JsonArray layers = new JsonArray();
        for (Layer layer : track.layers()) {
            layers.add(new JsonObject().put("rid", layer.rid()).put("width", layer.width()).put("height", layer.height()));
        }
        return new JsonObject()
                .put("id", track.id())
                .put("kind", track.kind() == null ? null : track.kind().name().toLowerCase(Locale.ROOT))
                .put("source", track.source() == null ? null : track.source().wireName())
                .put("muted", track.muted())
                .put("layers", layers)
                .put("packetsIn", counters == null ? 0L : counters.packetsIn())
                .put("bytesIn", counters == null ? 0L : counters.octetsIn())
                .put("subscribers", counters == null ? 0 : counters.subscribers())
                .put("streams", MediaStatsJson.inbound(counters == null ? List.of() : counters.streams()))
                .put("activeLayers", counters == null ? new JsonObject() : new JsonObject(new LinkedHashMap<>(counters.activeLayers())))
                .put("layerToggles", counters == null ? 0L : counters.layerToggles());
    }

    /** The participant's metadata as a JSON value; text the engine holds that is not JSON stays a string. */
    private static Object metadata(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.decodeValue(text);
        } catch (DecodeException e) {
            return text;
        }
    }
}
