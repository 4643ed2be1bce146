package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;

/** Tokens on the conferencing WebSocket, with a secret configured. */
class ConferenceSocketAuthTest {

    private static final String SECRET = "ws-auth-test-secret-0123456";
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC);
    private static final TokenIssuer ISSUER = new TokenIssuer(SECRET, NOW);

    private static ConferenceTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ConferenceTestServer(Optional.of(SECRET), NOW);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(Grant grant) {
        return ISSUER.issue(grant, Duration.ofMinutes(5));
    }

    private static JsonObject join(String id, String room) {
        return new JsonObject().put("type", "join").put("id", id).put("room", room);
    }

    private static void assertUnauthorized(String query, String reason, String... subprotocols) throws Exception {
        try (WsTestClient client = WsTestClient.connect(server.port(), query, subprotocols)) {
            JsonObject error = client.next();
            assertThat(error).isEqualTo(new JsonObject().put("type", "error").put("code", "unauthorized")
                    .put("message", reason));
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void aMissingTokenIsUnauthorized() throws Exception {
        assertUnauthorized(null, "token missing or too long");
    }

    @Test
    void aGarbageTokenIsUnauthorized() throws Exception {
        assertUnauthorized("access_token=garbage", "token is not a compact JWT");
        assertUnauthorized(null, "token is not a compact JWT", "sluice.v1", "bearer.garbage");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsUnauthorized() throws Exception {
        String forged = new TokenIssuer("another-secret-0123456789", NOW).issue(Grant.EVERYTHING, Duration.ofMinutes(5));
        assertUnauthorized("access_token=" + forged, "token signature is not valid");
    }

    @Test
    void anExpiredTokenIsUnauthorized() throws Exception {
        String expired = new TokenIssuer(SECRET, Clock.offset(NOW, Duration.ofHours(-2)))
                .issue(Grant.EVERYTHING, Duration.ofMinutes(5));
        assertUnauthorized("access_token=" + expired, "token has expired");
    }

    @Test
    void aQueryTokenJoinsWithItsGrant() throws Exception {
        try (WsTestClient client = WsTestClient.connect(server.port(),
                "access_token=" + token(new Grant("stage", false, true)))) {
            assertThat(client.request(join("1", "stage")).getString("type")).isEqualTo("joined");
            assertThat(server.conferences.nextCallStartingWith("join")).startsWith("join room=stage name= pub=false sub=true");
        }
    }

    @Test
    void theSubprotocolTokenJoinsAndTheServerSelectsSluiceV1() throws Exception {
        try (WsTestClient client = WsTestClient.connect(server.port(), null, "sluice.v1",
                "bearer." + token(new Grant("*", true, false)))) {
            assertThat(client.socket.getSubprotocol()).isEqualTo("sluice.v1");
            assertThat(client.request(join("1", "anywhere")).getString("type")).isEqualTo("joined");
            assertThat(server.conferences.nextCallStartingWith("join")).startsWith("join room=anywhere name= pub=true sub=false");
        }
    }

    @Test
    void anotherRoomOrNoClaimIsNotAllowedAndTheConnectionStays() throws Exception {
        try (WsTestClient client = WsTestClient.connect(server.port(),
                "access_token=" + token(new Grant("stage", true, true)))) {
            JsonObject refused = client.request(join("1", "backstage"));
            assertThat(refused.getString("code")).isEqualTo("not_allowed");
            assertThat(refused.getString("id")).isEqualTo("1");
            assertThat(client.request(join("2", "stage")).getString("type")).isEqualTo("joined");
            server.conferences.nextCall();
        }
        try (WsTestClient client = WsTestClient.connect(server.port(),
                "access_token=" + token(new Grant("stage", false, false)))) {
            assertThat(client.request(join("1", "stage")).getString("code")).isEqualTo("not_allowed");
            assertThat(client.request(new JsonObject().put("type", "ping").put("id", "p")).getString("type"))
                    .isEqualTo("pong");
        }
    }
}
