package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code PUT /api/broadcasts/{room}/repair-window} over a real engine: sets the room's window, refuses bad input. */
class BroadcastRepairWindowHttpTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SfuEngine engine;
    private SluiceServer server;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1)
                .withBroadcastRepairWindow(Duration.ofMillis(40)));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, engine.udpPort(), 0, "127.0.0.1",
                List.of("127.0.0.1"), Optional.empty(), List.of(), Duration.ofSeconds(10), 1);
        server = SluiceServer.start(config, engine, engine.conferences(), Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private HttpResponse<String> put(String room, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/broadcasts/" + room + "/repair-window"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void setsTheRoomsWindowWhichOtherwiseIsTheConfiguredOne() throws Exception {
        assertThat(engine.broadcastRepairWindow("stage")).isEqualTo(Duration.ofMillis(40));
        HttpResponse<String> response = put("stage", "{\"milliseconds\": 150}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("room", "stage")
                .put("milliseconds", 150));
        assertThat(engine.broadcastRepairWindow("stage")).isEqualTo(Duration.ofMillis(150));
        assertThat(engine.broadcastRepairWindow("other")).isEqualTo(Duration.ofMillis(40));

        assertThat(put("stage", "{\"milliseconds\": 0}").statusCode()).isEqualTo(200);
        assertThat(engine.broadcastRepairWindow("stage")).isZero();
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndChangesNothing() throws Exception {
        for (String body : List.of("{\"milliseconds\": 301}", "{\"milliseconds\": -1}", "{\"milliseconds\": 1.5}",
                "{\"milliseconds\": \"150\"}", "{}", "{\"milliseconds\": 10, \"extra\": 1}", "[150]")) {
            HttpResponse<String> response = put("stage", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).as(body)
                    .isEqualTo("invalid");
        }
        assertThat(put("bad%20name", "{\"milliseconds\": 10}").statusCode()).isEqualTo(404);
        assertThat(engine.broadcastRepairWindow("stage")).isEqualTo(Duration.ofMillis(40));
    }
}
