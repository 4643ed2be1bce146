package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.errorCode;
import static org.sluice.api.admin.AdminTestServer.json;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.JwtVerifier;
import org.sluice.api.auth.TokenCheck;

/** {@code POST /api/tokens}: minted tokens verify with the server's secret and carry the asked-for claims. */
class AdminTokensHttpTest {

    private static final String SECRET = "admin-tokens-test-secret-0123";
    private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
    private static final Clock NOW = Clock.fixed(START, ZoneOffset.UTC);

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withSecret(SECRET, NOW);
    private static final String ADMIN = http.adminToken();

    private static HttpResponse<String> mint(String body) throws Exception {
        return http.postJson("/api/tokens", ADMIN, body);
    }

    private static JsonObject claims(String token) {
        String payload = token.split("\\.")[1];
        return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @Test
    void mintedTokenVerifiesAndCarriesTheClaims() throws Exception {
        HttpResponse<String> response = mint(
                "{\"room\":\"stage\",\"name\":\"Carol\",\"publish\":true,\"subscribe\":true,\"ttlSeconds\":600}");
        assertThat(response.statusCode()).isEqualTo(200);
        String token = json(response).getString("token");
        assertThat(json(response).getString("expiresAt")).isEqualTo(START.plusSeconds(600).toString());

        TokenCheck check = new JwtVerifier(SECRET, NOW).verify(token);
        assertThat(check.isValid()).isTrue();
        assertThat(check.grant()).isEqualTo(new Grant("stage", true, true, false));
        JsonObject claims = claims(token);
        assertThat(claims.getString("name")).isEqualTo("Carol");
        assertThat(claims.getLong("exp")).isEqualTo(START.getEpochSecond() + 600);
        assertThat(claims.getLong("nbf")).isEqualTo(START.getEpochSecond());

        Clock later = Clock.offset(NOW, Duration.ofSeconds(600 + JwtVerifier.DEFAULT_LEEWAY.toSeconds() + 1));
        assertThat(new JwtVerifier(SECRET, later).verify(token).rejectReason()).isEqualTo("token has expired");
    }

    @Test
    void defaultsAreOneHourAndNoRights() throws Exception {
        HttpResponse<String> response = mint("{\"room\":\"*\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        String token = json(response).getString("token");
        assertThat(json(response).getString("expiresAt")).isEqualTo(START.plusSeconds(3600).toString());
        assertThat(new JwtVerifier(SECRET, NOW).verify(token).grant()).isEqualTo(new Grant("*", false, false, false));
        assertThat(claims(token).containsKey("name")).isFalse();
    }

    @Test
    void mintedAdminTokenOpensTheAdminApi() throws Exception {
        String token = json(mint("{\"room\":\"*\",\"admin\":true,\"ttlSeconds\":86400}")).getString("token");
        assertThat(new JwtVerifier(SECRET, NOW).verify(token).grant().admin()).isTrue();
        assertThat(http.get("/api/rooms", token).statusCode()).isEqualTo(200);
        String plain = json(mint("{\"room\":\"*\",\"publish\":true}")).getString("token");
        assertThat(http.get("/api/rooms", plain).statusCode()).isEqualTo(403);
    }

    @Test
    void ttlBoundsAndBadFieldsAre400() throws Exception {
        for (String body : List.of("{\"room\":\"x\",\"ttlSeconds\":0}", "{\"room\":\"x\",\"ttlSeconds\":86401}",
                "{\"room\":\"x\",\"ttlSeconds\":-5}", "{\"room\":\"x\",\"ttlSeconds\":60.5}",
                "{\"room\":\"x\",\"ttlSeconds\":\"60\"}", "{}", "{\"room\":\"\"}", "{\"room\":\"a/b\"}",
                "{\"room\":\"x\",\"publish\":\"yes\"}", "{\"room\":\"x\",\"subscribe\":1}",
                "{\"room\":\"x\",\"admin\":\"true\"}", "{\"room\":\"x\",\"name\":\"\"}",
                "{\"room\":\"x\",\"name\":\"" + "n".repeat(129) + "\"}", "{\"room\":\"x\",\"name\":5}", "nope")) {
            HttpResponse<String> response = mint(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(response)).as(body).isEqualTo("invalid");
        }
        assertThat(mint("{\"room\":\"x\",\"ttlSeconds\":1}").statusCode()).isEqualTo(200);
        assertThat(mint("{\"room\":\"x\",\"ttlSeconds\":86400}").statusCode()).isEqualTo(200);
    }
}
