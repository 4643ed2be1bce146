package org.sluice.api.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.sluice.api.cluster.RoomDirectory;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.session.SessionService;

/**
 * {@code GET /api/cluster}: whether this server is in a cluster and, if so, every member with its public URL, its
 * cluster address and the rooms it serves ({@code conference/<room>}, {@code broadcast/<room>}).
 */
final class ClusterHandlers {

    private final Vertx vertx;
    private final RoomDirectory directory;
    private final SessionService sessions;

    /** @param directory null on a single node; @param sessions for this node's relays, may be null */
    ClusterHandlers(Vertx vertx, RoomDirectory directory, SessionService sessions) {
        this.vertx = vertx;
        this.directory = directory;
        this.sessions = sessions;
    }

    /**
     * This node's broadcast relays: {@code in} (rooms fed from their origin on another member, with that member) and
     * {@code out} (relays of our rooms to edges, with the edge member).
     */
    private JsonObject relays() {
        JsonArray in = new JsonArray();
        JsonArray out = new JsonArray();
        if (sessions != null) {
            for (BroadcastStats b : sessions.broadcasts()) {
                if (b.publisher() != null && b.publisher().relayFrom() != null) {
                    in.add(new JsonObject().put("room", b.room()).put("from", b.publisher().relayFrom())
                            .put("sessionId", b.publisher().sessionId()));
                }
                for (BroadcastStats.Viewer v : b.viewers()) {
                    if (v.relayTo() != null) {
                        out.add(new JsonObject().put("room", b.room()).put("to", v.relayTo())
                                .put("sessionId", v.sessionId()));
                    }
                }
            }
        }
        return new JsonObject().put("in", in).put("out", out);
    }

    void describe(RoutingContext ctx) {
        if (directory == null) {
            ApiResponses.json(ctx, 200, new JsonObject().put("enabled", false).put("members", new JsonArray()));
            return;
        }
        vertx.executeBlocking(() -> new Object[] {directory.snapshot(), relays()}, false).onComplete(outcome -> {
            var result = outcome.map(pair -> (RoomDirectory.Snapshot) pair[0]);
            JsonObject relays = outcome.succeeded() ? (JsonObject) outcome.result()[1] : null;
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            JsonArray members = new JsonArray();
            for (RoomDirectory.Member m : result.result().members()) {
                members.add(new JsonObject().put("id", m.id()).put("url", m.url()).put("address", m.address())
                        .put("self", m.self()).put("rooms", new JsonArray(m.rooms())));
            }
            ApiResponses.json(ctx, 200, new JsonObject().put("enabled", true).put("self", result.result().self())
                    .put("members", members).put("relays", relays));
        });
    }
}
