package org.sluice.api.http;

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
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.session.IceServer;

/** A real {@link SluiceServer} on 127.0.0.1 with a random port over a {@link ScriptedSessionService}. */
final class HttpTestServer implements AutoCloseable {

    final ScriptedSessionService sessions;
    final SluiceServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    HttpTestServer(Optional<String> secret, List<IceServer> configured, List<IceServer> fromEngine, Clock clock)
            throws IOException {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                secret, configured, Duration.ofSeconds(10), 1);
        sessions = new ScriptedSessionService(fromEngine);
        server = SluiceServer.start(config, sessions, clock);
    }

    /** A server with this configuration (HTTP host and port are replaced by 127.0.0.1 and a free one). */
    HttpTestServer(ServerConfig config, Clock clock, ServerMetrics metrics) throws IOException {
        sessions = new ScriptedSessionService(List.of());
        server = SluiceServer.start(config.withHttp("127.0.0.1", 0), sessions, clock, metrics);
    }

    /** The settings the other constructor uses, for tests that change some. */
    static ServerConfig baseConfig(Optional<String> secret) {
        return new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                secret, List.of(), Duration.ofSeconds(10), 1);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Override
    public void close() {
        server.close();
    }
}
