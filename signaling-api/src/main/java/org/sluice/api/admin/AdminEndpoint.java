package org.sluice.api.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * One admin route: its method, its path in OpenAPI form ({@code /api/rooms/{room}}), whether it needs an admin
 * grant, and which handler of an {@link AdminHandlers} serves it.
 */
record AdminEndpoint(HttpMethod method, String path, boolean adminOnly,
                     Function<AdminHandlers, Handler<RoutingContext>> handler) {

    /** The path in Vert.x router form ({@code /api/rooms/:room}). */
    String routerPath() {
        return path.replaceAll("\\{([A-Za-z]+)}", ":$1");
    }
}
