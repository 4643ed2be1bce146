package org.sluice.api.conference;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sluice.core.conference.ConferenceEvent;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.NegotiationResult;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantInfo;
import org.sluice.core.conference.Speaker;
import org.sluice.core.conference.TrackInfo;
import org.sluice.core.session.IceServer;

/** Builds the server's JSON messages: replies (with the request's {@code id}) and events (without). */
public final class ServerMessages {

    private ServerMessages() {
    }

    /** {@code joined}. */
    public static JsonObject joined(Object id, Participant self, List<ParticipantInfo> others,
            List<IceServer> iceServers, Duration reconnectGrace, boolean resumed) {
        JsonArray participants = new JsonArray();
        others.forEach(p -> participants.add(participant(p)));
        return reply("joined", id)
                .put("v", ProtocolCodec.VERSION)
                .put("self", participant(self.info()))
                .put("participants", participants)
                .put("iceServers", iceServers(iceServers))
                .put("resumeToken", self.resumeToken())
                .put("reconnectGrace", reconnectGrace.toMillis())
                .put("resumed", resumed);
    }

    /** {@code answer}. */
    public static JsonObject answer(Object id, NegotiationResult result) {
        JsonArray published = new JsonArray();
        result.published().forEach(p -> published.add(new JsonObject().put("mid", p.mid())
                .put("trackId", p.trackId())));
        JsonArray tracks = new JsonArray();
        result.receiving().forEach(r -> tracks.add(new JsonObject().put("mid", r.mid()).put("trackId", r.trackId())
                .put("participantId", r.participantId())));
        return reply("answer", id).put("sdp", result.answerSdp()).put("published", published).put("tracks", tracks);
    }

    /** {@code ok}. */
    public static JsonObject ok(Object id) {
        return reply("ok", id);
    }

    /** {@code pong} with the server's time in milliseconds. */
    public static JsonObject pong(Object id, long epochMillis) {
        return reply("pong", id).put("time", epochMillis);
    }

    /** {@code error}; {@code id} may be null. */
    public static JsonObject error(Object id, String code, String message) {
        return reply("error", id).put("code", code).put("message", message);
    }

    /** The event message for {@code event}. */
    public static JsonObject event(ConferenceEvent event) {
        if (event instanceof ConferenceEvent.ParticipantJoined e) {
            return type("participantJoined").put("participant", participant(e.participant()));
        } else if (event instanceof ConferenceEvent.ParticipantUpdated e) {
            return type("participantUpdated").put("participant", participant(e.participant()));
        } else if (event instanceof ConferenceEvent.ParticipantLeft e) {
            return type("participantLeft").put("participantId", e.participantId()).put("reason", e.reason());
        } else if (event instanceof ConferenceEvent.TrackPublished e) {
            return type("trackPublished").put("track", track(e.track()));
        } else if (event instanceof ConferenceEvent.TrackUnpublished e) {
            return type("trackUnpublished").put("participantId", e.participantId()).put("trackId", e.trackId());
        } else if (event instanceof ConferenceEvent.TrackMuted e) {
            return type("trackMuted").put("participantId", e.participantId()).put("trackId", e.trackId())
                    .put("muted", e.muted());
        } else if (event instanceof ConferenceEvent.ActiveSpeakers e) {
            JsonArray speakers = new JsonArray();
            for (Speaker s : e.speakers()) {
                speakers.add(new JsonObject().put("participantId", s.participantId()).put("level", s.level()));
            }
            return type("activeSpeakers").put("speakers", speakers);
        } else if (event instanceof ConferenceEvent.RenegotiationNeeded e) {
            return type("renegotiate").put("audio", e.audio()).put("video", e.video());
        } else if (event instanceof ConferenceEvent.SubscriptionState e) {
            JsonObject json = type("subscriptionState").put("participantId", e.participantId())
                    .put("trackId", e.trackId()).put("state", e.paused() ? "paused" : "active");
            return e.reason() == null ? json : json.put("reason", e.reason().wireName());
        } else if (event instanceof ConferenceEvent.PublicationLayers e) {
            JsonObject active = new JsonObject();
            e.active().forEach(active::put);
            return type("publicationLayers").put("trackId", e.trackId()).put("active", active);
        } else if (event instanceof ConferenceEvent.DataReceived e) {
            JsonObject json = type("data").put("from", e.from());
            if (!e.topic().isEmpty()) {
                json.put("topic", e.topic());
            }
            return e.text() ? json.put("data", new String(e.payload(), StandardCharsets.UTF_8))
                    : json.put("data", Base64.getEncoder().encodeToString(e.payload())).put("binary", true);
        } else if (event instanceof ConferenceEvent.Removed e) {
            return type("removed").put("reason", e.reason());
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
    }

    /** A participant as in {@code joined} and {@code participantJoined}. */
    static JsonObject participant(ParticipantInfo info) {
        JsonArray tracks = new JsonArray();
        info.tracks().forEach(t -> tracks.add(track(t)));
        return new JsonObject().put("id", info.id()).put("name", info.name())
                .put("metadata", metadataValue(info.metadata())).put("tracks", tracks);
    }

    static JsonObject track(TrackInfo track) {
        JsonArray layers = new JsonArray();
        for (Layer layer : track.layers()) {
            layers.add(new JsonObject().put("rid", layer.rid()).put("width", layer.width())
                    .put("height", layer.height()));
        }
        return new JsonObject().put("id", track.id()).put("participantId", track.participantId())
                .put("kind", track.kind().name().toLowerCase(Locale.ROOT)).put("source", track.source().wireName())
                .put("muted", track.muted()).put("layers", layers);
    }

    /** The configured ICE servers in {@code RTCIceServer} shape. */
    static JsonArray iceServers(List<IceServer> servers) {
        JsonArray result = new JsonArray();
        for (IceServer server : servers) {
            JsonObject entry = new JsonObject().put("urls", new JsonArray().add(server.url()));
            if (server.username() != null) {
                entry.put("username", server.username());
            }
            if (server.credential() != null) {
                entry.put("credential", server.credential());
            }
            result.add(entry);
        }
        return result;
    }

    private static Object metadataValue(String metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            return Json.decodeValue(metadata);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonObject reply(String type, Object id) {
        JsonObject json = type(type);
        if (id != null) {
            json.put("id", id);
        }
        return json;
    }

    private static JsonObject type(String type) {
        return new JsonObject().put("type", type);
    }
}
