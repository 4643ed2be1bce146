package org.sluice.api.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.sluice.core.broadcast.BroadcastRoom;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.session.SessionService;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/broadcasts}: the WHIP/WHEP rooms with their publisher's streams and their viewers' downlinks;
 * {@code PUT /api/broadcasts/{room}/repair-window}: a room's repair window.
 */
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

    /** {@code {"milliseconds": 0..300}}: sets the room's repair window (creating the room); answers it back. */
    void setRepairWindow(RoutingContext ctx) {
        String room = ApiResponses.pathName(ctx, "room", "room");
        if (room == null) {
            return;
        }
        JsonObject body = JsonBody.read(ctx);
        if (body == null) {
            return;
        }
        Object value = body.getValue("milliseconds");
        if (!(value instanceof Integer || value instanceof Long) || body.size() != 1
                || ((Number) value).longValue() < 0 || ((Number) value).longValue() > MAX_REPAIR_WINDOW_MS) {
            ApiResponses.error(ctx, 400, "invalid", "the body must be {\"milliseconds\": n}, n a whole number from 0 to "
                    + MAX_REPAIR_WINDOW_MS);
            return;
        }
        long millis = ((Number) value).longValue();
        vertx.executeBlocking(() -> {
            if (sessions == null) {
                throw new UnsupportedOperationException("no sessions");
            }
            sessions.broadcastRepairWindow(room, Duration.ofMillis(millis));
            return millis;
        }, false).onComplete(result -> {
            if (result.failed()) {
                if (result.cause() instanceof UnsupportedOperationException) {
                    ApiResponses.error(ctx, 501, "not_implemented", "broadcasts have no repair window here");
                } else {
                    ctx.fail(result.cause());
                }
                return;
            }
            ApiResponses.json(ctx, 200, new JsonObject().put("room", room).put("milliseconds", millis));
        });
    }

    private static final long MAX_REPAIR_WINDOW_MS = BroadcastRoom.MAX_REPAIR_WINDOW.toMillis();

    static JsonObject broadcast(BroadcastStats b) {
        JsonObject publisher = b.publisher() == null ? null : new JsonObject()
                .put("sessionId", b.publisher().sessionId())
                .put("streams", MediaStatsJson.inbound(b.publisher().streams()))
                .put("layerCap", b.publisher().capBps() < 0 ? null : new JsonObject()
                        .put("bps", b.publisher().capBps()).put("layer", b.publisher().cappedLayer()))
                .put("relayFrom", b.publisher().relayFrom());
        JsonArray viewers = new JsonArray();
        for (BroadcastStats.Viewer v : b.viewers()) {
            viewers.add(new JsonObject()
                    .put("sessionId", v.sessionId())
                    .put("relayTo", v.relayTo())
                    .put("link", new JsonObject()
                            .put("estimateBps", v.estimateBps())
                            .put("allocatedBps", v.allocatedBps())
                            .put("rttMs", v.rttMillis() < 0 ? null : MediaStatsJson.round(v.rttMillis())))
                    .put("streams", streams(v.streams())));
        }
        return new JsonObject().put("room", b.room()).put("repairWindowMs", b.repairWindowMillis())
                .put("publisher", publisher).put("viewers", viewers);
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
