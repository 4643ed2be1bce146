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
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.TrickleResult;

/** A real {@link SluiceServer} on 127.0.0.1 with a random port over a {@link FakeConferenceService}. */
final class AdminTestServer implements AutoCloseable {

    final FakeConferenceService conferences;
    final SluiceServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    AdminTestServer(Optional<String> secret, Clock clock) throws IOException {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                secret, List.of(), Duration.ofSeconds(10), 1);
        conferences = new FakeConferenceService(clock.instant());
        server = SluiceServer.start(config, new NoSessions(), conferences, clock, null);
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
        server.close();
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
