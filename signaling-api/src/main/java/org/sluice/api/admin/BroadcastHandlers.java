package org.sluice.api.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.session.SessionService;

import java.util.List;
import java.util.Locale;

/** {@code GET /api/broadcasts}: the WHIP/WHEP rooms with their publisher's streams and their viewers' downlinks. */
final class BroadcastHandlers {

    private final Vertx vertx;
    private final SessionService sessions;

    BroadcastHandlers(Vertx vertx, SessionService sessions) {
        this.vertx = vertx;
        this.sessions = sessions;
    }

    void listBroadcasts(RoutingContext ctx) {
        vertx.executeBlocking(() -> sessions == null ? List.<BroadcastStats>of() : sessions.broadcasts(), false).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            JsonArray broadcasts = new JsonArray();
            result.result().forEach(b -> broadcasts.add(broadcast(b)));
            ApiResponses.json(ctx, 200, new JsonObject().put("broadcasts", broadcasts));
        });
    }

    static JsonObject broadcast(BroadcastStats b) {
        JsonObject publisher = b.publisher() == null ? null : new JsonObject()
                .put("sessionId", b.publisher().sessionId())
                .put("streams", MediaStatsJson.inbound(b.publisher().streams()));
        JsonArray viewers = new JsonArray();
        for (BroadcastStats.Viewer v : b.viewers()) {
            viewers.add(new JsonObject()
                    .put("sessionId", v.sessionId())
                    .put("link", new JsonObject()
                            .put("estimateBps", v.estimateBps())
                            .put("allocatedBps", v.allocatedBps())
                            .put("rttMs", v.rttMillis() < 0 ? null : MediaStatsJson.round(v.rttMillis())))
                    .put("streams", streams(v.streams())));
        }
        return new JsonObject().put("room", b.room()).put("publisher", publisher).put("viewers", viewers);
    }

    private static JsonArray streams(List<OutboundStreamStats> streams) {
        JsonArray out = new JsonArray();
        for (OutboundStreamStats s : streams) {
            JsonObject json = new JsonObject().put("ssrc", s.ssrc())
                    .put("kind", s.kind().name().toLowerCase(Locale.ROOT));
            MediaStatsJson.outbound(s, json)
                    .put("state", s.pausedForBandwidth() ? "paused" : "active")
                    .put("reason", s.pausedForBandwidth() ? "bandwidth" : null);
            out.add(json);
        }
        return out;
    }
}
