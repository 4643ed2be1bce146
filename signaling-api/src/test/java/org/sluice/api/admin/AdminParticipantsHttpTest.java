package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.errorCode;
import static org.sluice.api.admin.AdminTestServer.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/rooms/{room}/participants}: the stats document, removal, 404s. */
class AdminParticipantsHttpTest {

    private static final String SECRET = "admin-participants-secret-0123";
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withSecret(SECRET, NOW).emptiedBeforeEach();
    private static final String ADMIN = http.adminToken();

    @BeforeEach
    void seed() {
        http.conferences.put("lobby", List.of(ParticipantFixtures.alice(), ParticipantFixtures.bob()));
    }

    @Test
    void listsParticipantsWithCountersTracksAndSubscriptions() throws Exception {
        HttpResponse<String> response = http.get("/api/rooms/lobby/participants", ADMIN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray participants = json(response).getJsonArray("participants");
        assertThat(participants).hasSize(2);
        JsonObject alice = participants.getJsonObject(0);
        JsonObject expected = new JsonObject()
                .put("id", "PAalice")
                .put("name", "Alice")
                .put("metadata", new JsonObject().put("role", "host").put("seat", 3))
                .put("joinedAt", "2026-01-02T03:00:00Z")
                .put("state", "connected")
                .put("packetsIn", 1000).put("bytesIn", 120_000).put("packetsOut", 2000).put("bytesOut", 2_400_000)
                .put("tracks", new JsonArray()
                        .add(new JsonObject().put("id", "TRa1").put("kind", "audio").put("source", "microphone")
                                .put("muted", true).put("layers", new JsonArray())
                                .put("packetsIn", 400).put("bytesIn", 20_000).put("subscribers", 1)
                                .put("streams", new JsonArray().add(new JsonObject().put("ssrc", 1111)
                                        .putNull("rid").put("jitterMs", 2.5).putNull("frameDelayVariationMs")
                                        .put("layers", new JsonArray())))
                                .put("activeLayers", new JsonObject()).put("layerToggles", 0))
                        .add(new JsonObject().put("id", "TRv1").put("kind", "video").put("source", "camera")
                                .put("muted", false).put("layers", new JsonArray()
                                        .add(new JsonObject().put("rid", "q").put("width", 320).put("height", 180))
                                        .add(new JsonObject().put("rid", "f").put("width", 1280).put("height", 720)))
                                .put("packetsIn", 600).put("bytesIn", 100_000).put("subscribers", 2)
                                .put("streams", new JsonArray()
                                        .add(new JsonObject().put("ssrc", 2222).put("rid", "q").put("jitterMs", 4.13)
                                                .put("frameDelayVariationMs", 7.5).put("layers", new JsonArray()
                                                        .add(layer(0, 0, 15.0, 150_000))
                                                        .add(layer(0, 1, 30.0, 250_000))))
                                        .add(new JsonObject().put("ssrc", 3333).put("rid", "f").put("jitterMs", 3.0)
                                                .put("frameDelayVariationMs", 9.25).put("layers", new JsonArray()
                                                        .add(layer(0, 0, 30.0, 1_500_000)))))
                                .put("activeLayers", new JsonObject().put("q", true).put("f", false))
                                .put("layerToggles", 1)))
                .put("subscriptions", new JsonArray().add("TRbob"))
                .put("link", new JsonObject().put("estimateBps", 1_800_000).put("allocatedBps", 1_200_000)
                        .put("rttMs", 42.5).put("pacerQueue", 3).put("probePackets", 77))
                .put("received", new JsonArray().add(new JsonObject().put("trackId", "TRbob").put("packetsSent", 1500)
                        .put("packetsResent", 12).put("framesDropped", 7).put("fractionLost", 0.25)
                        .put("cumulativeLost", 40).put("jitter", 90).put("jitterMs", 1.0).put("rttMs", 42.5)
                        .put("state", "paused").put("reason", "bandwidth").put("layer", 0).put("bandwidthLayer", 0)
                        .put("wantedLayer", 2)));
        // compare as decoded JSON text so Integer/Long differences do not matter
        assertThat(new JsonObject(alice.encode()).encode()).isEqualTo(new JsonObject(expected.encode()).encode());

        JsonObject bob = participants.getJsonObject(1);
        assertThat(bob.containsKey("metadata")).isTrue();
        assertThat(bob.getValue("metadata")).isNull();
        assertThat(bob.getString("state")).isEqualTo("new");
        assertThat(bob.getJsonArray("tracks")).isEmpty();
        assertThat(bob.getJsonArray("subscriptions")).isEmpty();
    }

    private static JsonObject layer(int spatial, int temporal, double framesPerSecond, long bitrateBps) {
        return new JsonObject().put("spatial", spatial).put("temporal", temporal).put("framesPerSecond", framesPerSecond)
                .put("bitrateBps", bitrateBps);
    }

    @Test
    void unknownRoomIs404() throws Exception {
        for (String path : List.of("/api/rooms/nowhere/participants", "/api/rooms/n%20o/participants")) {
            HttpResponse<String> response = http.get(path, ADMIN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(errorCode(response)).as(path).isEqualTo("unknown_room");
        }
    }

    @Test
    void removesAParticipant() throws Exception {
        HttpResponse<String> removed = http.delete("/api/rooms/lobby/participants/PAbob", ADMIN);
        assertThat(removed.statusCode()).isEqualTo(204);
        JsonArray left = json(http.get("/api/rooms/lobby/participants", ADMIN)).getJsonArray("participants");
        assertThat(left).hasSize(1);
        assertThat(left.getJsonObject(0).getString("id")).isEqualTo("PAalice");
    }

    @Test
    void removingAnUnknownParticipantIs404() throws Exception {
        for (String path : List.of("/api/rooms/lobby/participants/PAnobody", "/api/rooms/nowhere/participants/PAbob",
                "/api/rooms/lobby/participants/bad%20id")) {
            HttpResponse<String> response = http.delete(path, ADMIN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(errorCode(response)).as(path).isEqualTo("unknown_participant");
        }
    }
}
