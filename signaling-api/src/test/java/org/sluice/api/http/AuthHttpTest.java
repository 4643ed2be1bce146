package org.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;

/** Bearer-token checks over real HTTP with a secret configured. */
class AuthHttpTest {

    private static final String SECRET = "http-auth-test-secret-0123";
    private static final String OFFER = "v=0\r\n";
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC);

    private static HttpTestServer http;
    private static final TokenIssuer ISSUER = new TokenIssuer(SECRET, NOW);

    @BeforeAll
    static void start() throws IOException {
        http = new HttpTestServer(Optional.of(SECRET), List.of(), List.of(), NOW);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = http.request(path).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(OFFER));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(response.body()).isEqualTo(reason + "\n");
    }

    @Test
    void aValidTokenPublishesAndEnds() throws Exception {
        String token = "Bearer " + ISSUER.issue(new Grant("stage", true, false), Duration.ofMinutes(5));
        HttpResponse<String> created = post("/whip/stage", token);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertUnauthorized(http.send(http.request(location).DELETE()), "missing bearer token");
        assertThat(http.send(http.request(location).header("Authorization", token).DELETE()).statusCode()).isEqualTo(200);
    }

    @Test
    void noTokenIs401() throws Exception {
        assertUnauthorized(post("/whip/stage", null), "missing bearer token");
    }

    @Test
    void badSignatureIs401() throws Exception {
        String other = new TokenIssuer("some-other-secret-987654", NOW).issue(new Grant("*", true, true), Duration.ofMinutes(5));
        assertUnauthorized(post("/whip/stage", "Bearer " + other), "token signature is not valid");
    }

    @Test
    void expiredTokenIs401() throws Exception {
        Clock anHourAgo = Clock.offset(NOW, Duration.ofHours(-1));
        String old = new TokenIssuer(SECRET, anHourAgo).issue(new Grant("*", true, true), Duration.ofMinutes(5));
        assertUnauthorized(post("/whep/stage", "Bearer " + old), "token has expired");
    }

    @Test
    void wrongRoomIs401() throws Exception {
        String token = ISSUER.issue(new Grant("other", true, true), Duration.ofMinutes(5));
        assertUnauthorized(post("/whip/stage", "Bearer " + token), "token does not allow publishing in this room");
    }

    @Test
    void publishOnlyTokenCannotSubscribe() throws Exception {
        String token = ISSUER.issue(new Grant("stage", true, false), Duration.ofMinutes(5));
        assertUnauthorized(post("/whep/stage", "Bearer " + token), "token does not allow subscribing in this room");
        String viewer = ISSUER.issue(new Grant("*", false, true), Duration.ofMinutes(5));
        assertThat(post("/whep/stage", "Bearer " + viewer).statusCode()).isEqualTo(201);
    }

    @Test
    void preflightNeedsNoToken() throws Exception {
        HttpResponse<String> preflight = http.send(http.request("/whip/stage")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(204);
    }
}
