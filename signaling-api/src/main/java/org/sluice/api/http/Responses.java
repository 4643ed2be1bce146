package org.sluice.api.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Ends responses with a short {@code text/plain} reason; never with a stack trace. */
final class Responses {

    private Responses() {
    }

    static void text(RoutingContext ctx, int status, String reason) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        String oneLine = reason == null ? "" : reason.replaceAll("[\\r\\n]+", " ");
        response.setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(oneLine + "\n");
    }
}
