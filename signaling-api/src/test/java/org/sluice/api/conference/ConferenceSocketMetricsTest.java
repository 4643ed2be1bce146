package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sluice.api.metrics.ServerMetrics;

/** The endpoint's meters in the server's Prometheus registry. */
class ConferenceSocketMetricsTest {

    @Test
    void connectionsMessagesAndErrorsAreCounted() throws Exception {
        try (ServerMetrics metrics = new ServerMetrics();
                ConferenceTestServer server = new ConferenceTestServer(Optional.empty(), Clock.systemUTC(),
                        ConferenceSocketSettings.PING_INTERVAL, ConferenceSocketSettings.IDLE_TIMEOUT, metrics);
                WsTestClient client = server.connect()) {
            client.send("not json");
            assertThat(client.next().getString("code")).isEqualTo("bad_json");
            assertThat(client.request(new JsonObject().put("type", "ping").put("id", 1)).getString("type"))
                    .isEqualTo("pong");

            String text = metrics.scrape();
            assertThat(text).contains("sluice_ws_connections 1.0");
            assertThat(text).contains("sluice_ws_messages_received_total 2.0");
            assertThat(text).contains("sluice_ws_messages_sent_total 2.0");
            assertThat(text).contains("sluice_ws_errors_total{code=\"bad_json\"} 1.0");
        }
    }
}
