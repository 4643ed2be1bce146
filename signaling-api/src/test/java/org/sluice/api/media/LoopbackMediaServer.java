package org.sluice.api.media;

import org.sluice.api.SluiceServer;
import org.sluice.api.cluster.ClusterSettings;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.metrics.EngineMetrics;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real server and engine on loopback with free ports, for tests that send real media: WHIP/WHEP and the
 * conferencing WebSocket ({@code GET /ws}) served by the engine's own {@link SfuEngine#conferences()}, and
 * {@code GET /metrics} with the engine's meters bound as {@code Main} does. The server's conferencing settings
 * (reconnect grace announced in {@code joined}) are the engine's.
 */
public final class LoopbackMediaServer implements AutoCloseable {

    private final SfuEngine engine;
    private final SluiceServer server;
    private final ServerMetrics metrics;

    private LoopbackMediaServer(SfuEngine engine, SluiceServer server, ServerMetrics metrics) {
        this.engine = engine;
        this.server = server;
        this.metrics = metrics;
    }

    public static LoopbackMediaServer start(EngineConfig engineConfig) throws Exception {
        return start(engineConfig, Optional.empty());
    }

    /** With {@code authSecret}, bearer tokens are checked as in production. */
    public static LoopbackMediaServer start(EngineConfig engineConfig, Optional<String> authSecret) throws Exception {
        return start(engineConfig, 0, authSecret, ClusterSettings.OFF);
    }

    /**
     * A cluster node: HTTP on 127.0.0.1:{@code httpPort} (fixed, so that its public URL is known before it starts),
     * joining the cluster described by {@code cluster}.
     */
    public static LoopbackMediaServer startClusterNode(EngineConfig engineConfig, int httpPort,
                                                       ClusterSettings cluster) throws Exception {
        return start(engineConfig, httpPort, Optional.empty(), cluster);
    }

    private static LoopbackMediaServer start(EngineConfig engineConfig, int httpPort, Optional<String> authSecret,
                                             ClusterSettings cluster) throws Exception {
        SfuEngine engine = SfuEngine.start(engineConfig);
        ServerMetrics metrics = new ServerMetrics().bind(new EngineMetrics(engine));
        try {
            ServerConfig config = new ServerConfig("127.0.0.1", httpPort, engine.udpPort(),
                    Math.max(engine.tcpPort(), 0), "127.0.0.1", List.of("127.0.0.1"), authSecret, List.of(),
                    Duration.ofSeconds(10), 2, ServerConfig.DEFAULT_DRAIN_TIME, engineConfig.conference())
                    .withCluster(cluster);
            return new LoopbackMediaServer(engine,
                    SluiceServer.start(config, engine, engine.conferences(), Clock.systemUTC(), metrics), metrics);
        } catch (Exception e) {
            engine.close();
            metrics.close();
            throw e;
        }
    }

    /** The HTTP server (its cluster directory, its readiness). */
    public SluiceServer server() {
        return server;
    }

    public static LoopbackMediaServer start() throws Exception {
        return start(EngineConfig.loopback().withMediaLoops(2));
    }

    public SfuEngine engine() {
        return engine;
    }

    public String origin() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            try {
                engine.close();
            } finally {
                metrics.close();
            }
        }
    }
}
