package org.sluice.api.admin;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /api/openapi.json}: the hand-written OpenAPI 3.1 document, a resource read once at startup. */
final class OpenApiDocument {

    /** Classpath location of the document. */
    static final String RESOURCE = "org/sluice/api/admin/openapi.json";

    private final String text;

    private OpenApiDocument(String text) {
        this.text = text;
    }

    /** Loads the document from the classpath. */
    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new OpenApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    String text() {
        return text;
    }

    void serve(RoutingContext ctx) {
        ctx.response().setStatusCode(200)
                .putHeader("Content-Type", ApiResponses.JSON)
                .putHeader("Cache-Control", "public, max-age=300")
                .end(text);
    }
}
