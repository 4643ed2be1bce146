package org.sluice.api.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.sluice.api.cluster.RoomDirectory;

/**
 * {@code GET /api/cluster}: whether this server is in a cluster and, if so, every member with its public URL, its
 * cluster address and the rooms it serves ({@code conference/<room>}, {@code broadcast/<room>}).
 */
final class ClusterHandlers {

    private final Vertx vertx;
    private final RoomDirectory directory;

    /** @param directory null on a single node */
    ClusterHandlers(Vertx vertx, RoomDirectory directory) {
        this.vertx = vertx;
        this.directory = directory;
    }

    void describe(RoutingContext ctx) {
        if (directory == null) {
            ApiResponses.json(ctx, 200, new JsonObject().put("enabled", false).put("members", new JsonArray()));
            return;
        }
        vertx.executeBlocking(directory::snapshot, false).onComplete(result -> {
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
                    .put("members", members));
        });
    }
}
