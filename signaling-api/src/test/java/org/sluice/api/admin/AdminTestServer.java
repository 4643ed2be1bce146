package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sluice.api.SluiceServer;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;
import org.sluice.api.config.ServerConfig;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.TrickleResult;

/**
 * A real {@link SluiceServer} on 127.0.0.1 with a random port over a {@link FakeConferenceService}.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final AdminTestServer http = ...}) it starts
 * before the class's tests and closes after them (and, if {@link #emptiedBeforeEach()}, forgets every room
 * before each test); {@link #start()} starts it by hand for try-with-resources.
 */
final class AdminTestServer implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    final FakeConferenceService conferences;
    private final Optional<String> secret;
    private final Clock clock;
    private SluiceServer server;
    private boolean emptiedBeforeEach;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AdminTestServer(Optional<String> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
        conferences = new FakeConferenceService(clock.instant());
    }

    /** A server (not yet started) that checks tokens signed with {@code secret}. */
    static AdminTestServer withSecret(String secret, Clock clock) {
        return new AdminTestServer(Optional.of(secret), clock);
    }

    /** A server (not yet started) without {@code auth.secret}: loopback only, no tokens needed. */
    static AdminTestServer withoutSecret(Clock clock) {
        return new AdminTestServer(Optional.empty(), clock);
    }

    /** Empties {@link #conferences} before each test; returns this. */
    AdminTestServer emptiedBeforeEach() {
        emptiedBeforeEach = true;
        return this;
    }

    /** Starts the server; returns this for try-with-resources. */
    AdminTestServer start() throws IOException {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                secret, List.of(), Duration.ofSeconds(10), 1);
        server = SluiceServer.start(config, new NoSessions(), conferences, clock, null);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emptiedBeforeEach) {
            conferences.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A token with {@code admin: true}, signed with the secret, valid for five minutes from the clock's now. */
    String adminToken() {
        return new TokenIssuer(secret.orElseThrow(), clock).issue(Grant.adminOnly(), Duration.ofMinutes(5));
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(request(path, token).GET());
    }

    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return send(request(path, token).DELETE());
    }

    HttpResponse<String> postJson(String path, String token, String json) throws IOException, InterruptedException {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    /** The {@code error.code} of an error response, after checking its shape. */
    static String errorCode(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            throw new AssertionError("error is not JSON: " + response.headers().map() + " " + response.body());
        }
        JsonObject error = json(response).getJsonObject("error");
        if (error == null || !(error.getValue("message") instanceof String)) {
            throw new AssertionError("not an error body: " + response.body());
        }
        return error.getString("code");
    }

    static String errorMessage(HttpResponse<String> response) {
        return json(response).getJsonObject("error").getString("message");
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** WHIP/WHEP are not under test here. */
    private static final class NoSessions implements SessionService {
        @Override
        public SessionAnswer publish(String room, String offerSdp) throws OfferRejectedException {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "no media in this test");
        }

        @Override
        public SessionAnswer subscribe(String room, String offerSdp) throws OfferRejectedException {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNAVAILABLE, "no media in this test");
        }

        @Override
        public TrickleResult trickle(String sessionId, String fragment) {
            return null;
        }

        @Override
        public String etag(String sessionId) {
            return null;
        }

        @Override
        public boolean end(String sessionId) {
            return false;
        }

        @Override
        public List<IceServer> iceServers() {
            return List.of();
        }
    }
}
