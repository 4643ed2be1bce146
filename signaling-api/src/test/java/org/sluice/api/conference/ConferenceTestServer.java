package org.sluice.api.conference;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.session.IceServer;

/** A real {@link SluiceServer} on 127.0.0.1 with a random port over a {@link ScriptedConferenceService}. */
final class ConferenceTestServer implements AutoCloseable {

    static final List<IceServer> ICE = List.of(new IceServer("stun:stun.example.org:3478", null, null),
            new IceServer("turn:turn.example.org:3478", "user", "pass"));

    final ScriptedConferenceService conferences = new ScriptedConferenceService();
    final SluiceServer server;

    ConferenceTestServer(Optional<String> secret, Clock clock, Duration ping, Duration idle, ServerMetrics metrics)
            throws IOException {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                secret, ICE, Duration.ofSeconds(10), 1);
        ConferenceSocketSettings settings = ConferenceSocketSettings.defaults(ICE, Duration.ofSeconds(20), clock,
                metrics == null ? null : new MicrometerSocketMetrics(metrics.registry())).withLiveness(ping, idle);
        server = SluiceServer.start(config, null, conferences, metrics, settings);
    }

    ConferenceTestServer(Optional<String> secret, Clock clock) throws IOException {
        this(secret, clock, ConferenceSocketSettings.PING_INTERVAL, ConferenceSocketSettings.IDLE_TIMEOUT, null);
    }

    int port() {
        return server.httpPort();
    }

    WsTestClient connect() throws Exception {
        return WsTestClient.connect(port(), null);
    }

    @Override
    public void close() {
        server.close();
    }
}
