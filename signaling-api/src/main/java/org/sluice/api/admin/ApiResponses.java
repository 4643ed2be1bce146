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

    /** The path parameter if it is a valid name; otherwise answers 404 (no such thing can exist) and returns null. */
    static String pathName(RoutingContext ctx, String param, String what) {
        String value = ctx.pathParam(param);
        if (value == null || !JsonFields.NAME.matcher(value).matches()) {
            noSuch(ctx, what);
            return null;
        }
        return value;
    }

    /** 404 {@code unknown_<what>}. */
    static void noSuch(RoutingContext ctx, String what) {
        error(ctx, 404, "unknown_" + what, "no such " + what);
    }
}
