package org.sluice.api.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.cluster.RoomDirectory;
import org.sluice.api.auth.AccessDecision;
import org.sluice.api.web.Cors;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.session.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the admin REST API under {@code /api}: the {@link #endpoints() endpoint table}, an admin-grant check
 * on every route but the OpenAPI document, a 16 KiB body limit, {@code OPTIONS}/405 per path, and JSON errors
 * for everything else under {@code /api}.
 */
public final class AdminRoutes {

    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private static final List<AdminEndpoint> ENDPOINTS = List.of(
            new AdminEndpoint(HttpMethod.GET, "/api/openapi.json", false, h -> h.openApi()::serve),
            new AdminEndpoint(HttpMethod.GET, "/api/rooms", true, h -> h.rooms()::listRooms),
            new AdminEndpoint(HttpMethod.POST, "/api/rooms", true, h -> h.rooms()::createRoom),
            new AdminEndpoint(HttpMethod.GET, "/api/rooms/{room}", true, h -> h.rooms()::getRoom),
            new AdminEndpoint(HttpMethod.DELETE, "/api/rooms/{room}", true, h -> h.rooms()::closeRoom),
            new AdminEndpoint(HttpMethod.GET, "/api/rooms/{room}/participants", true, h -> h.rooms()::listParticipants),
            new AdminEndpoint(HttpMethod.DELETE, "/api/rooms/{room}/participants/{id}", true,
                    h -> h.rooms()::removeParticipant),
            new AdminEndpoint(HttpMethod.GET, "/api/broadcasts", true, h -> h.broadcasts()::listBroadcasts),
            new AdminEndpoint(HttpMethod.PUT, "/api/broadcasts/{room}/repair-window", true,
                    h -> h.broadcasts()::setRepairWindow),
            new AdminEndpoint(HttpMethod.GET, "/api/cluster", true, h -> h.cluster()::describe),
            new AdminEndpoint(HttpMethod.POST, "/api/tokens", true, h -> h.tokens()::mint));

    private AdminRoutes() {
    }

    /** The routes this API serves, in registration order. */
    static List<AdminEndpoint> endpoints() {
        return ENDPOINTS;
    }

    /**
     * Adds the {@code /api} routes to {@code router}; call before any catch-all route.
     *
     * @param vertx       engine calls run on its worker pool
     * @param conferences the engine
     * @param sessions    the WHIP/WHEP side of the engine (its broadcast rooms)
     * @param access      decides admin access and issues tokens
     */
    public static void install(Router router, Vertx vertx, ConferenceService conferences, SessionService sessions,
                               AccessControl access) {
        install(router, vertx, conferences, sessions, access, null);
    }

    /** As above, with the cluster's room directory for {@code GET /api/cluster} (null on a single node). */
    public static void install(Router router, Vertx vertx, ConferenceService conferences, SessionService sessions,
                               AccessControl access, RoomDirectory directory) {
        AdminHandlers handlers = new AdminHandlers(new RoomHandlers(vertx, conferences),
                new BroadcastHandlers(vertx, sessions), new ClusterHandlers(vertx, directory, sessions),
                new TokenMinting(access.tokenIssuer()), OpenApiDocument.load());
        router.route("/api/*").failureHandler(AdminRoutes::failure);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        for (AdminEndpoint endpoint : ENDPOINTS) {
            var route = router.route(endpoint.method(), endpoint.routerPath());
            if (endpoint.adminOnly()) {
                route.handler(ctx -> authorize(ctx, access));
            }
            route.handler(endpoint.handler().apply(handlers));
        }
        Map<String, String> allowed = ENDPOINTS.stream().collect(Collectors.groupingBy(AdminEndpoint::routerPath,
                LinkedHashMap::new, Collectors.mapping(e -> e.method().name(),
                        Collectors.joining(", ", "OPTIONS, ", ""))));
        allowed.forEach((path, methods) -> router.route(path).handler(ctx -> optionsOrNotAllowed(ctx, methods)));
        router.route("/api/*").handler(ctx -> ApiResponses.error(ctx, 404, "not_found", "no such endpoint"));
    }

    private static void authorize(RoutingContext ctx, AccessControl access) {
        AccessDecision decision = access.checkAdmin(ctx.request().getHeader("Authorization"));
        if (decision.allowed()) {
            ctx.next();
        } else if (decision.forbidden()) {
            ApiResponses.error(ctx, 403, "forbidden", decision.reason());
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ApiResponses.error(ctx, 401, "unauthorized", decision.reason());
        }
    }

    private static void optionsOrNotAllowed(RoutingContext ctx, String methods) {
        ctx.response().putHeader("Allow", methods);
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            Cors.addPreflightHeaders(ctx.response(), methods);
            ctx.response().setStatusCode(204).end();
        } else {
            ApiResponses.error(ctx, 405, "method_not_allowed", "method not allowed; allowed: " + methods);
        }
    }

    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            ApiResponses.error(ctx, 413, "too_large", "request body larger than " + MAX_BODY_BYTES + " bytes");
        } else if (status >= 400 && status < 500) {
            ApiResponses.error(ctx, status, "invalid", "bad request");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            ApiResponses.error(ctx, 500, "internal", "internal server error");
        }
    }
}
