package org.sluice.api.admin;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Ends admin responses as {@code application/json}: a document, or {@code {"error":{"code","message"}}}; never a stack trace. */
final class ApiResponses {

    static final String JSON = "application/json";

    private ApiResponses() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    static void noContent(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(204).end();
        }
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                response.reset();
            }
            return;
        }
        String oneLine = message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
        json(ctx, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", oneLine)));
    }
}
