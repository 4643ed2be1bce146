package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.api.media.PrometheusScrape;

/**
 * Two real servers (engines, HTTP, Hazelcast) clustered on loopback: a broadcast claimed on one node is redirected
 * to it (307) from the other for WHIP, while a WHEP viewer at the other node is served there (an edge, fed by a
 * relay), a conference {@code join} at the wrong node is answered
 * {@code wrong_node} with the serving node's WebSocket URL, {@code GET /api/cluster} and {@code /metrics} show the
 * members and rooms, and once the serving node leaves, the other serves the rooms itself.
 */
class ClusterHttpTest {

    private LoopbackCluster cluster;
    private LoopbackMediaServer single;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (single != null) {
            single.close();
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject getJson(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return new JsonObject(response.body());
    }

    /** Sends one message on a fresh conference socket and returns the first reply. */
    private JsonObject firstReply(String origin, JsonObject message) throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(origin.replace("http://", "ws://") + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText(message.encode(), true).get(5, TimeUnit.SECONDS);
            String reply = received.poll(15, TimeUnit.SECONDS);
            assertThat(reply).as("a reply to " + message.encode()).isNotNull();
            return new JsonObject(reply);
        } finally {
            socket.abort();
        }
    }

    @Test
    void roomsLiveOnOneNodeAndTheOtherSendsClientsThere() throws Exception {
        cluster = LoopbackCluster.start(2);
        String a = cluster.node(0).origin();
        String b = cluster.node(1).origin();

        // A WHIP POST at A claims the broadcast for A (the offer itself is refused: not SDP).
        assertThat(post(a + "/whip/show", "not sdp").statusCode()).isEqualTo(400);
        // A WHEP POST at B is served at B, which becomes the broadcast's edge (this offer is refused there: no media).
        HttpResponse<String> whep = post(b + "/whep/show?x=1", "v=0");
        assertThat(whep.statusCode()).isEqualTo(400);
        assertThat(whep.headers().firstValue("Location")).isEmpty();
        assertThat(post(b + "/whip/show", "v=0").statusCode()).isEqualTo(307);
        // Requests about a session of that broadcast that reach B (through a load balancer) go to A as well.
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(b + "/whep/show/SE123"))
                .timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(307);
        assertThat(delete.headers().firstValue("Location")).contains(a + "/whep/show/SE123");
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(b + "/whep/show/SE123"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/trickle-ice-sdpfrag")
                .header("If-Match", "*").method("PATCH", HttpRequest.BodyPublishers.ofString("a=end-of-candidates\r\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).isEqualTo(307);
        HttpResponse<String> unknownAtA = http.send(HttpRequest.newBuilder(URI.create(a + "/whep/show/SE123"))
                .timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknownAtA.statusCode()).as("no such session where the room is").isEqualTo(404);

        // A conference room joined at B lives on B; a join at A is sent to B.
        JsonObject joined = firstReply(b, new JsonObject().put("type", "join").put("id", "1").put("room", "call"));
        assertThat(joined.getString("type")).isEqualTo("joined");
        JsonObject wrong = firstReply(a, new JsonObject().put("type", "join").put("id", "2").put("room", "call"));
        assertThat(wrong.getString("type")).isEqualTo("error");
        assertThat(wrong.getString("code")).isEqualTo("wrong_node");
        assertThat(wrong.getString("id")).isEqualTo("2");
        assertThat(wrong.getString("url")).isEqualTo(b.replace("http://", "ws://") + "/ws");

        JsonObject described = getJson(b + "/api/cluster");
        assertThat(described.getBoolean("enabled")).isTrue();
        JsonArray members = described.getJsonArray("members");
        assertThat(members).hasSize(2);
        for (int i = 0; i < members.size(); i++) {
            JsonObject m = members.getJsonObject(i);
            if (m.getString("url").equals(a)) {
                assertThat(m.getJsonArray("rooms").getList()).containsExactly("broadcast/show");
            } else {
                assertThat(m.getString("url")).isEqualTo(b);
                assertThat(m.getBoolean("self")).isTrue();
                assertThat(m.getJsonArray("rooms").getList()).containsExactly("conference/call");
            }
        }
        PrometheusScrape metrics = PrometheusScrape.of(b);
        assertThat(metrics.sum("sluice_cluster_members")).isEqualTo(2);
        // the WHIP offer, the DELETE and the PATCH (the WHEP offer was B's to serve, as an edge)
        assertThat(metrics.sum("sluice_cluster_redirects_total")).isEqualTo(3);
        assertThat(PrometheusScrape.of(a).sum("sluice_cluster_redirects_total")).isEqualTo(1);

        // A leaves: its broadcast is B's to serve from now on.
        cluster.stop(0);
        assertThat(post(b + "/whip/show", "not sdp").statusCode()).as("served at B now").isEqualTo(400);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (getJson(b + "/api/cluster").getJsonArray("members").size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(getJson(b + "/api/cluster").getJsonArray("members")).hasSize(1);
    }

    @Test
    void withoutEdgeRelaysAWhepViewerIsRedirectedToTheBroadcastsNode() throws Exception {
        cluster = LoopbackCluster.start(2, false);
        String a = cluster.node(0).origin();
        String b = cluster.node(1).origin();
        assertThat(post(a + "/whip/show", "not sdp").statusCode()).isEqualTo(400);
        HttpResponse<String> whep = post(b + "/whep/show", "v=0");
        assertThat(whep.statusCode()).isEqualTo(307);
        assertThat(whep.headers().firstValue("Location")).contains(a + "/whep/show");
        assertThat(PrometheusScrape.of(b).sum("sluice_cluster_redirects_total")).isEqualTo(1);
        assertThat(PrometheusScrape.of(b).has("sluice_relays")).isFalse();
    }

    @Test
    void aSingleNodeSaysItIsNotClustered() throws Exception {
        single = LoopbackMediaServer.start();
        JsonObject described = getJson(single.origin() + "/api/cluster");
        assertThat(described.getBoolean("enabled")).isFalse();
        assertThat(described.getJsonArray("members")).isEmpty();
        assertThat(post(single.origin() + "/whip/show", "not sdp").statusCode()).isEqualTo(400);
    }
}
