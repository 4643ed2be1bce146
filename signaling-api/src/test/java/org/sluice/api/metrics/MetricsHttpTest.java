package org.sluice.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.metrics.EngineMetrics;

/** {@code GET /metrics} over a real engine: Prometheus text with the engine's, JVM and Netty meters. */
class MetricsHttpTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SfuEngine engine;
    private ServerMetrics metrics;
    private SluiceServer server;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1));
        metrics = new ServerMetrics().bind(new EngineMetrics(engine));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, engine.udpPort(), 0, "127.0.0.1",
                List.of("127.0.0.1"), Optional.empty(), List.of(), Duration.ofSeconds(10), 1);
        server = SluiceServer.start(config, engine, Clock.systemUTC(), metrics);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        metrics.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() throws Exception {
        engine.transportCounters().srtpAuthFailed.add(4);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        String body = response.body();
        assertThat(body)
                .contains("sluice_packets_dropped_total{reason=\"srtp_auth_failed\"} 4.0")
                .contains("sluice_sessions 0.0")
                .contains("sluice_packets_forwarded_total 0.0")
                .contains("sluice_dtls_handshake_time_seconds_count")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds")
                .contains("netty_allocator_memory_used")
                .contains("sluice_allocation_video_paused_total 0.0")
                .contains("sluice_remb_ignored_total 0.0")
                .contains("sluice_remb_sent_total 0.0")
                .contains("sluice_retransmissions_repeated_total 0.0")
                .contains("sluice_retransmissions_redundant_total 0.0")
                .contains("sluice_repair_window_packets_total{outcome=\"held\"} 0.0")
                .contains("sluice_repair_window_packets_total{outcome=\"skipped\"} 0.0")
                .contains("sluice_ingress_layer_fps_count{spatial=\"0\",temporal=\"0\"} 0")
                .contains("sluice_ingress_layer_bitrate_bits_count{spatial=\"1\",temporal=\"2\"} 0")
                .contains("sluice_ingress_jitter_milliseconds_count 0")
                .contains("sluice_ingress_frame_delay_variation_milliseconds_count 0")
                .contains("sluice_receiver_loss_ratio_count 0");
    }

    @Test
    void aServerWithoutMetricsHasNoMetricsRoute() throws Exception {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, engine.udpPort(), 0, "127.0.0.1",
                List.of("127.0.0.1"), Optional.empty(), List.of(), Duration.ofSeconds(10), 1);
        try (SluiceServer bare = SluiceServer.start(config, engine, Clock.systemUTC())) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bare.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
        }
    }
}
