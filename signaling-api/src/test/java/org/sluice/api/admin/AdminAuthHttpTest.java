package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.errorCode;
import static org.sluice.api.admin.AdminTestServer.errorMessage;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;

/** Every admin route needs a valid token with {@code admin: true}; the OpenAPI document needs none. */
class AdminAuthHttpTest {

    private static final String SECRET = "admin-auth-test-secret-0123";
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC);
    private static final TokenIssuer ISSUER = new TokenIssuer(SECRET, NOW);

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withSecret(SECRET, NOW);

    @BeforeAll
    static void seed() {
        http.conferences.put("lobby", List.of(ParticipantFixtures.bob()));
    }

    /** One request per admin endpoint, with the given Authorization header (or none). */
    private static List<HttpRequest.Builder> everyProtectedRoute(String authorization) {
        List<HttpRequest.Builder> requests = AdminRoutes.endpoints().stream()
                .filter(AdminEndpoint::adminOnly)
                .map(endpoint -> {
                    String path = endpoint.path().replace("{room}", "lobby").replace("{id}", "PAbob");
                    HttpRequest.Builder builder = http.request(path, null)
                            .header("Content-Type", "application/json")
                            .method(endpoint.method().name(), endpoint.method().name().equals("POST")
                                    ? HttpRequest.BodyPublishers.ofString("{\"name\":\"n\",\"room\":\"lobby\"}")
                                    : HttpRequest.BodyPublishers.noBody());
                    if (authorization != null) {
                        builder.header("Authorization", authorization);
                    }
                    return builder;
                })
                .toList();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(7);
        return requests;
    }

    private static void assertEveryRouteRefused(String authorization, int status, String code, String message)
            throws Exception {
        for (HttpRequest.Builder request : everyProtectedRoute(authorization)) {
            HttpResponse<String> response = http.send(request);
            String what = response.request().method() + " " + response.request().uri();
            assertThat(response.statusCode()).as(what).isEqualTo(status);
            assertThat(errorCode(response)).as(what).isEqualTo(code);
            assertThat(errorMessage(response)).as(what).isEqualTo(message);
            if (status == 401) {
                assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).contains("Bearer");
            }
        }
    }

    @Test
    void noTokenIs401() throws Exception {
        assertEveryRouteRefused(null, 401, "unauthorized", "missing bearer token");
    }

    @Test
    void garbageIs401() throws Exception {
        assertEveryRouteRefused("Bearer not-a-jwt", 401, "unauthorized", "token is not a compact JWT");
        assertEveryRouteRefused("Basic dXNlcjpwYXNz", 401, "unauthorized", "authorization is not a bearer token");
    }

    @Test
    void wrongSecretIs401() throws Exception {
        String forged = new TokenIssuer("some-other-secret-987654", NOW).issue(Grant.adminOnly(), Duration.ofMinutes(5));
        assertEveryRouteRefused("Bearer " + forged, 401, "unauthorized", "token signature is not valid");
    }

    @Test
    void expiredTokenIs401() throws Exception {
        String old = new TokenIssuer(SECRET, Clock.offset(NOW, Duration.ofHours(-1)))
                .issue(Grant.adminOnly(), Duration.ofMinutes(5));
        assertEveryRouteRefused("Bearer " + old, 401, "unauthorized", "token has expired");
    }

    @Test
    void validTokenWithoutAdminIs403() throws Exception {
        String publisher = ISSUER.issue(new Grant("*", true, true), Duration.ofMinutes(5));
        assertEveryRouteRefused("Bearer " + publisher, 403, "forbidden", "token does not grant admin access");
        assertThat(http.conferences.callingThreads).isEmpty();
    }

    @Test
    void adminClaimOfTheWrongTypeIs401() throws Exception {
        JsonObject claims = new JsonObject().put("room", "*").put("admin", "true").put("exp", 1_760_000_300L);
        assertEveryRouteRefused("Bearer " + signed(claims), 401, "unauthorized", "token admin claim is not a boolean");
    }

    @Test
    void adminTokenIsAllowed() throws Exception {
        String admin = http.adminToken();
        HttpResponse<String> response = http.get("/api/rooms", admin);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(http.get("/api/rooms/lobby/participants", admin).statusCode()).isEqualTo(200);
        HttpResponse<String> lowerCase = http.send(http.request("/api/rooms", null)
                .header("Authorization", "bearer " + admin).GET());
        assertThat(lowerCase.statusCode()).isEqualTo(200);
    }

    @Test
    void openApiDocumentNeedsNoToken() throws Exception {
        HttpResponse<String> response = http.get("/api/openapi.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(new JsonObject(response.body()).getString("openapi")).startsWith("3.1.");
    }

    @Test
    void whipStillUsesItsOwnGrant() throws Exception {
        String admin = http.adminToken();
        HttpResponse<String> response = http.send(http.request("/whip/lobby", admin)
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("token does not allow publishing in this room\n");
    }

    private static String signed(JsonObject claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
