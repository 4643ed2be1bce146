package org.sluice.loadgen;

import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.metrics.EngineMetrics;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The real engine and HTTP server on loopback with free ports and {@code /metrics}, as {@code Main} wires them. */
final class InProcessServer implements AutoCloseable {

    private final SfuEngine engine;
    private final SluiceServer server;
    private final ServerMetrics metrics;

    private InProcessServer(SfuEngine engine, SluiceServer server, ServerMetrics metrics) {
        this.engine = engine;
        this.server = server;
        this.metrics = metrics;
    }

    static InProcessServer start(int mediaLoops) throws Exception {
        EngineConfig engineConfig = EngineConfig.loopback().withMediaLoops(mediaLoops);
        SfuEngine engine = SfuEngine.start(engineConfig);
        ServerMetrics metrics = new ServerMetrics().bind(new EngineMetrics(engine));
        try {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, engine.udpPort(), Math.max(engine.tcpPort(), 0),
                    "127.0.0.1", List.of("127.0.0.1"), Optional.empty(), List.of(), Duration.ofSeconds(10), 2,
                    ServerConfig.DEFAULT_DRAIN_TIME, engineConfig.conference());
            return new InProcessServer(engine,
                    SluiceServer.start(config, engine, engine.conferences(), Clock.systemUTC(), metrics), metrics);
        } catch (Exception e) {
            engine.close();
            metrics.close();
            throw e;
        }
    }

    /** WHIP and WHEP sessions the engine still holds, once they are all gone or after 5 s. */
    int sessionCount() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engine.sessionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return engine.sessionCount();
    }

    /** Datagrams and ICE-TCP frames the media sockets sent. */
    long packetsSent() {
        return engine.networkCounters().packetsOut.sum();
    }

    /** UDP messages the media loops handed to the kernel themselves (Java 22+; a segmented run counts once). */
    long udpMessagesSent() {
        return engine.networkCounters().udpMessagesOut.sum();
    }

    /** WHIP and WHEP sessions the engine holds right now. */
    int liveSessions() {
        return engine.sessionCount();
    }

    /**
     * The figures of the allocator the media path takes its buffers from (Netty's default allocator, which the
     * load generator's sockets in this JVM share).
     */
    ByteBufAllocatorMetric mediaAllocatorMetric() {
        if (engine.mediaAllocator() instanceof ByteBufAllocatorMetricProvider provider) {
            return provider.metric();
        }
        throw new IllegalStateException("the media allocator reports no figures: " + engine.mediaAllocator());
    }

    URI origin() {
        return URI.create("http://127.0.0.1:" + server.httpPort());
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
