package org.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.shutdown.Drainable;
import org.sluice.api.shutdown.GracefulShutdown;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;

/**
 * The SIGTERM sequence without a signal: during the drain (observed from the fake sleeper) readiness
 * is 503 and new offers get 503, while the live session count decides when it ends.
 */
class ShutdownSequenceTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SfuEngine engine;
    private SluiceServer server;
    private final List<String> observed = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private long now;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, engine.udpPort(), 0, "127.0.0.1",
                List.of("127.0.0.1"), Optional.empty(), List.of(), Duration.ofSeconds(10), 1);
        server = SluiceServer.start(config, engine, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private int status(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path));
    }

    @Test
    void readinessAndAdmissionStopAtOnceThenEverythingClosesAfterTheDrain() throws Exception {
        assertThat(status(request("/health/ready"))).isEqualTo(200);
        Drainable engineDrain = EngineWiring.drainable(engine);
        int[] live = {1};
        Drainable oneLiveSession = new Drainable() {
            @Override
            public void stopAdmitting() {
                engineDrain.stopAdmitting();
            }

            @Override
            public int liveSessions() {
                return live[0];
            }
        };
        GracefulShutdown drain = new GracefulShutdown(Duration.ofSeconds(30), () -> now, nanos -> {
            try {
                observed.add("ready " + status(request("/health/ready")));
                observed.add("whip " + status(request("/whip/room").header("Content-Type", "application/sdp")
                        .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n"))));
                observed.add("closed " + closed.size());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            now += nanos;
            live[0] = 0; // the last session ends during the first poll
        });

        new ShutdownSequence(server, oneLiveSession, drain, () -> closed.add("engine"), () -> closed.add("metrics"))
                .run();

        assertThat(observed).containsExactly("ready 503", "whip 503", "closed 0");
        assertThat(closed).containsExactly("engine", "metrics");
        assertThat(engine.isDraining()).isTrue();
    }
}
