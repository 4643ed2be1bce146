package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.errorCode;
import static org.sluice.api.admin.AdminTestServer.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.RoomOptions;

/** {@code /api/rooms}: list, create, get, close, with their error statuses. */
class AdminRoomsHttpTest {

    private static final String SECRET = "admin-rooms-test-secret-0123";
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withSecret(SECRET, NOW).emptiedBeforeEach();
    private static final String ADMIN = http.adminToken();

    @Test
    void listsOpenRooms() throws Exception {
        http.conferences.put("lobby", List.of(ParticipantFixtures.alice()));
        http.conferences.put("empty", List.of());
        HttpResponse<String> response = http.get("/api/rooms", ADMIN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonArray rooms = json(response).getJsonArray("rooms");
        assertThat(rooms).hasSize(2);
        assertThat(rooms.getJsonObject(0)).isEqualTo(new JsonObject().put("name", "lobby")
                .put("createdAt", "2026-01-02T03:04:05Z").put("participants", 1).put("tracks", 2)
                .put("maxParticipants", FakeConferenceService.DEFAULT_MAX_PARTICIPANTS));
        assertThat(rooms.getJsonObject(1).getString("name")).isEqualTo("empty");
        assertThat(http.conferences.callingThreads).isNotEmpty()
                .noneMatch(thread -> thread.contains("eventloop"));
    }

    @Test
    void emptyListIsAnEmptyArray() throws Exception {
        HttpResponse<String> response = http.get("/api/rooms", ADMIN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(new JsonObject().put("rooms", new JsonArray()));
    }

    @Test
    void createsARoomWithOptions() throws Exception {
        HttpResponse<String> response = http.postJson("/api/rooms", ADMIN,
                "{\"name\":\"stage\",\"maxParticipants\":12,\"emptyTimeoutSeconds\":90}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/api/rooms/stage");
        assertThat(json(response).getString("name")).isEqualTo("stage");
        assertThat(json(response).getInteger("maxParticipants")).isEqualTo(12);
        assertThat(json(response).getString("createdAt")).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(http.conferences.createdWith).containsExactly(new RoomOptions(12, Duration.ofSeconds(90)));
        assertThat(http.get("/api/rooms/stage", ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void createWithNameOnlyUsesEngineDefaults() throws Exception {
        assertThat(http.postJson("/api/rooms", ADMIN, "{\"name\":\"plain\"}").statusCode()).isEqualTo(201);
        assertThat(http.conferences.createdWith).containsExactly(RoomOptions.DEFAULTS);
    }

    @Test
    void creatingAnOpenRoomIs409() throws Exception {
        http.conferences.put("lobby", List.of());
        HttpResponse<String> response = http.postJson("/api/rooms", ADMIN, "{\"name\":\"lobby\"}");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(errorCode(response)).isEqualTo("room_exists");
    }

    @Test
    void invalidCreateBodiesAre400() throws Exception {
        for (String body : List.of("{}", "{\"name\":\"\"}", "{\"name\":\"a b\"}", "{\"name\":\"*\"}", "{\"name\":7}",
                "{\"name\":\"x\",\"maxParticipants\":0}", "{\"name\":\"x\",\"maxParticipants\":1.5}",
                "{\"name\":\"x\",\"maxParticipants\":\"3\"}", "{\"name\":\"x\",\"emptyTimeoutSeconds\":-1}",
                "{\"name\":\"x\",\"emptyTimeoutSeconds\":86401}", "[1,2]", "not json", "", "null",
                "{\"name\":\"" + "r".repeat(129) + "\"}", "[".repeat(8000) + "]".repeat(8000),
                "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), "\"just a string\"", "{\"name\":\"x\"")) {
            HttpResponse<String> response = http.postJson("/api/rooms", ADMIN, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(response)).as(body).isEqualTo("invalid");
        }
        assertThat(http.conferences.createdWith).isEmpty();
    }

    @Test
    void engineRefusalsMapToStatuses() throws Exception {
        http.conferences.refuseNextCreate(new ConferenceException(ConferenceException.Code.UNAVAILABLE, "draining"));
        HttpResponse<String> draining = http.postJson("/api/rooms", ADMIN, "{\"name\":\"late\"}");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(errorCode(draining)).isEqualTo("unavailable");
        assertThat(AdminTestServer.errorMessage(draining)).isEqualTo("draining");

        http.conferences.refuseNextCreate(new ConferenceException(ConferenceException.Code.INVALID, "bad name"));
        assertThat(http.postJson("/api/rooms", ADMIN, "{\"name\":\"late\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<String> response = http.send(http.request("/api/rooms", ADMIN)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(errorCode(response)).isEqualTo("unsupported_media_type");
        assertThat(http.postJson("/api/rooms", ADMIN, "{\"name\":\"x\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> withCharset = http.send(http.request("/api/rooms", ADMIN)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"y\"}")));
        assertThat(withCharset.statusCode()).isEqualTo(201);
    }

    @Test
    void bodyOver16KiBIs413() throws Exception {
        String big = "{\"name\":\"x\",\"pad\":\"" + "p".repeat(AdminRoutes.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> response = http.postJson("/api/rooms", ADMIN, big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(errorCode(response)).isEqualTo("too_large");
    }

    @Test
    void getsOneRoomOr404() throws Exception {
        http.conferences.put("lobby", List.of());
        HttpResponse<String> found = http.get("/api/rooms/lobby", ADMIN);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).getString("name")).isEqualTo("lobby");
        for (String path : List.of("/api/rooms/nowhere", "/api/rooms/bad%20name")) {
            HttpResponse<String> missing = http.get(path, ADMIN);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(errorCode(missing)).as(path).isEqualTo("unknown_room");
        }
    }

    @Test
    void closesARoomOr404() throws Exception {
        http.conferences.put("lobby", List.of(ParticipantFixtures.alice()));
        HttpResponse<String> closed = http.delete("/api/rooms/lobby", ADMIN);
        assertThat(closed.statusCode()).isEqualTo(204);
        assertThat(closed.body()).isEmpty();
        assertThat(http.get("/api/rooms/lobby", ADMIN).statusCode()).isEqualTo(404);
        HttpResponse<String> again = http.delete("/api/rooms/lobby", ADMIN);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(errorCode(again)).isEqualTo("unknown_room");
    }

    @Test
    void unknownApiPathsAndMethodsAnswerJson() throws Exception {
        HttpResponse<String> unknown = http.get("/api/nothing-here", ADMIN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("not_found");
        HttpResponse<String> put = http.send(http.request("/api/rooms/lobby", ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(errorCode(put)).isEqualTo("method_not_allowed");
        assertThat(put.headers().firstValue("Allow")).contains("OPTIONS, GET, DELETE");
        HttpResponse<String> preflight = http.send(http.request("/api/rooms", null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("OPTIONS, GET, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "Content-Type");
    }
}
