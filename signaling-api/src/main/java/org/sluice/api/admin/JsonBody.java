package org.sluice.api.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Reads a request's body as a JSON object, answering 415 or 400 itself when it is not one. */
final class JsonBody {

    private JsonBody() {
    }

    /** The body's JSON object, or {@code null} after the error response was sent. */
    static JsonObject read(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(ApiResponses.JSON)) {
            ApiResponses.error(ctx, 415, "unsupported_media_type", "Content-Type must be " + ApiResponses.JSON);
            return null;
        }
        String text = ctx.body().asString("UTF-8");
        if (text == null || text.isBlank()) {
            ApiResponses.error(ctx, 400, "invalid", "request body must be a JSON object");
            return null;
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            ApiResponses.error(ctx, 400, "invalid", "request body must be a JSON object");
            return null;
        }
    }
}
