package org.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.JoseTestKeys;
import org.sluice.api.config.AuthSettings;
import org.sluice.api.metrics.ServerMetrics;

/**
 * A server whose keys come from a JWKS served by a loopback HTTP server (as an identity provider serves it):
 * RS256 and ES256 tokens publish over real HTTP, a key added to the JWKS works after the next refresh and a
 * withdrawn one is refused, bad tokens get a one-line 401, and {@code /metrics} needs an admin token.
 */
class JwksAuthHttpTest {

    private static final JoseTestKeys RSA_OLD = JoseTestKeys.rsa("idp-rsa-1");
    private static final JoseTestKeys EC = JoseTestKeys.ec("idp-ec-1");
    private static final JoseTestKeys RSA_NEW = JoseTestKeys.rsa("idp-rsa-2");
    private static final String OFFER = "v=0\r\n";

    private final AtomicReference<String> served = new AtomicReference<>(JoseTestKeys.jwks(RSA_OLD, EC));
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private HttpServer idp;
    private HttpTestServer http;
    private ServerMetrics metrics;

    @BeforeEach
    void start() throws IOException {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/.well-known/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        idp.start();
        String url = "http://127.0.0.1:" + idp.getAddress().getPort() + "/.well-known/jwks.json";
        AuthSettings auth = AuthSettings.NONE.withJwksSources(List.of(url), Duration.ofSeconds(1))
                .withMetricsRequireToken(true);
        metrics = new ServerMetrics();
        http = new HttpTestServer(HttpTestServer.baseConfig(Optional.empty()).withAuth(Optional.empty(), auth),
                Clock.systemUTC(), metrics);
    }

    @AfterEach
    void stop() {
        http.close();
        metrics.close();
        idp.stop(0);
    }

    private static String token(JoseTestKeys key, Grant grant) {
        return key.sign(JoseTestKeys.claims(grant, Clock.systemUTC().instant().getEpochSecond()));
    }

    private HttpResponse<String> publish(String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = http.request("/whip/stage").header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(OFFER));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    @Test
    void rs256AndEs256TokensFromTheServedJwksPublish() throws Exception {
        assertThat(publish(token(RSA_OLD, new Grant("stage", true, false))).statusCode()).isEqualTo(201);
        assertThat(publish(token(EC, new Grant("stage", true, false))).statusCode()).isEqualTo(201);
        assertThat(jwksRequests.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRotatedKeyWorksAfterRefreshAndAWithdrawnKeyIsRefused() throws Exception {
        String oldToken = token(RSA_OLD, new Grant("stage", true, false));
        String newToken = token(RSA_NEW, new Grant("stage", true, false));
        assertThat(publish(newToken).statusCode()).isEqualTo(401);

        served.set(JoseTestKeys.jwks(EC, RSA_NEW));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<String> withNew = publish(newToken);
        while (withNew.statusCode() != 201 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            withNew = publish(newToken);
        }
        assertThat(withNew.statusCode()).as(withNew.body()).isEqualTo(201);
        HttpResponse<String> withOld = publish(oldToken);
        assertThat(withOld.statusCode()).isEqualTo(401);
        assertThat(withOld.body()).isEqualTo("token key id is not known\n");
    }

    @Test
    void badTokensGetAOneLine401() throws Exception {
        String good = token(EC, new Grant("stage", true, false));
        String[] parts = good.split("\\.");
        String forgedClaims = JoseTestKeys.claims(Grant.EVERYTHING, Clock.systemUTC().instant().getEpochSecond())
                .encode();
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forgedClaims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String expired = EC.sign(JoseTestKeys.claims(new Grant("stage", true, false),
                Clock.systemUTC().instant().getEpochSecond() - 3600));
        for (String[] bad : new String[][] {
                {null, "missing bearer token"},
                {"garbage", "token is not a compact JWT"},
                {tampered, "token signature is not valid"},
                {expired, "token has expired"},
                {parts[0] + "." + parts[1] + ".", "token signature is not valid"},
                {"eyJhbGciOiJub25lIn0." + parts[1] + ".", "token algorithm is not accepted"}}) {
            HttpResponse<String> response = publish(bad[0]);
            assertThat(response.statusCode()).as(bad[1]).isEqualTo(401);
            assertThat(response.body()).isEqualTo(bad[1] + "\n");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
    }

    @Test
    void metricsNeedAnAdminToken() throws Exception {
        HttpResponse<String> none = http.send(http.request("/metrics").GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("missing bearer token\n");
        HttpResponse<String> viewer = http.send(http.request("/metrics")
                .header("Authorization", "Bearer " + token(EC, new Grant("stage", false, true))).GET());
        assertThat(viewer.statusCode()).isEqualTo(403);
        HttpResponse<String> admin = http.send(http.request("/metrics")
                .header("Authorization", "Bearer " + token(RSA_OLD, Grant.adminOnly())).GET());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("# TYPE");
    }
}
