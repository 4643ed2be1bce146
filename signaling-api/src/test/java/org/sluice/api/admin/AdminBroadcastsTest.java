package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.OutboundStreamStats;

/** {@code GET /api/broadcasts}: served behind the admin token, and the JSON shape of a room with a held viewer. */
class AdminBroadcastsTest {

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withSecret("broadcasts-secret-0123456789abcdef",
            Clock.fixed(Instant.parse("2026-01-02T03:00:00Z"), ZoneOffset.UTC));

    @Test
    void listsNoBroadcastsWhenNoneAreOpenAndNeedsTheAdminToken() throws Exception {
        HttpResponse<String> response = http.get("/api/broadcasts", http.adminToken());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(new JsonObject().put("broadcasts", new JsonArray()));
        assertThat(http.get("/api/broadcasts", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aRoomShowsItsPublishersLayersAndEachViewersStreamsWithTheirState() {
        BroadcastStats stats = new BroadcastStats("stage",
                new BroadcastStats.Publisher("WHIP1", List.of(new InboundStreamStats(77, "h", 1.5, 3.25, List.of(
                        new InboundStreamStats.LayerStats(0, 0, 15, 300_000)))), 1_200_000, 2),
                List.of(new BroadcastStats.Viewer("WHEP1", 90_000, 50_000, 12.5, List.of(
                        new OutboundStreamStats(5, MediaKind.AUDIO, 500, 0, 0, 0, 0, 48, 1.0, 12.5, false),
                        new OutboundStreamStats(6, MediaKind.VIDEO, 900, 3, 0, 0.5, 30, 900, 10.0, -1, true)))),
                120);
        JsonObject expected = new JsonObject().put("room", "stage").put("repairWindowMs", 120)
                .put("publisher", new JsonObject().put("sessionId", "WHIP1").put("streams", new JsonArray()
                        .add(new JsonObject().put("ssrc", 77).put("rid", "h").put("jitterMs", 1.5)
                                .put("frameDelayVariationMs", 3.25).put("layers", new JsonArray().add(new JsonObject()
                                        .put("spatial", 0).put("temporal", 0).put("framesPerSecond", 15.0)
                                        .put("bitrateBps", 300_000)))))
                        .put("layerCap", new JsonObject().put("bps", 1_200_000).put("layer", 2)).putNull("relayFrom"))
                .put("viewers", new JsonArray().add(new JsonObject().put("sessionId", "WHEP1").putNull("relayTo")
                        .put("link", new JsonObject().put("estimateBps", 90_000).put("allocatedBps", 50_000)
                                .put("rttMs", 12.5))
                        .put("streams", new JsonArray()
                                .add(stream(5, "audio", 500, 0, 0.0, 0, 48, 1.0, 12.5).put("state", "active")
                                        .putNull("reason"))
                                .add(stream(6, "video", 900, 3, 0.5, 30, 900, 10.0, null).put("state", "paused")
                                        .put("reason", "bandwidth")))));
        assertThat(new JsonObject(BroadcastHandlers.broadcast(stats).encode()).encode())
                .isEqualTo(new JsonObject(expected.encode()).encode());
    }

    private static JsonObject stream(long ssrc, String kind, long sent, long resent, double fractionLost,
                                     int cumulativeLost, long jitter, double jitterMs, Double rttMs) {
        return new JsonObject().put("ssrc", ssrc).put("kind", kind).put("packetsSent", sent)
                .put("packetsResent", resent).put("framesDropped", 0).put("fractionLost", fractionLost)
                .put("cumulativeLost", cumulativeLost).put("jitter", jitter).put("jitterMs", jitterMs)
                .put("rttMs", rttMs);
    }
}
