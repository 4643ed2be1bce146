package org.sluice.api.http;

import org.sluice.api.web.Cors;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.sluice.api.admin.AdminRoutes;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.cluster.RoomDirectory;
import org.sluice.api.cluster.RoomPlacement;
import org.sluice.api.auth.AccessDecision;
import org.sluice.api.conference.ConferenceSocketRoute;
import org.sluice.api.conference.ConferenceSocketSettings;
import org.sluice.api.conference.SocketMetrics;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's {@link Router}: CORS, WHIP, WHEP, the conferencing WebSocket ({@code GET /ws}), health,
 * metrics, static pages, errors.
 */
public final class ApiRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    /** The Prometheus text exposition format. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private ApiRouter() {
    }

    /**
     * @param vertx      the Vert.x instance (engine calls run on its worker pool)
     * @param sessions   the engine
     * @param access     who may publish and subscribe
     * @param iceServers STUN/TURN servers advertised in {@code Link} headers
     * @param ready      readiness for {@code /health/ready}
     */
    public static Router create(Vertx vertx, SessionService sessions, AccessControl access,
            List<IceServer> iceServers, BooleanSupplier ready) {
        return create(vertx, sessions, null, access, iceServers, ready, null);
    }

    /**
     * As above, plus {@code GET /metrics} when {@code metrics} is not null.
     *
     * @param metrics renders the Prometheus text format 0.0.4 (called on a worker thread)
     */
    public static Router create(Vertx vertx, SessionService sessions, AccessControl access,
            List<IceServer> iceServers, BooleanSupplier ready, Supplier<String> metrics) {
        return create(vertx, sessions, null, access, iceServers, ready, metrics);
    }

    /**
     * As above, plus the conferencing WebSocket ({@code GET /ws}) and admin REST ({@code /api}) when
     * {@code conferences} is not null.
     */
    public static Router create(Vertx vertx, SessionService sessions, ConferenceService conferences,
            AccessControl access, List<IceServer> iceServers, BooleanSupplier ready, Supplier<String> metrics) {
        return create(vertx, sessions, conferences, access, iceServers, ready, metrics,
                ConferenceSocketSettings.defaults(iceServers, ConferenceSettings.DEFAULTS.reconnectGrace(),
                        Clock.systemUTC(), SocketMetrics.NONE));
    }

    /**
     * As above, with the conferencing WebSocket's settings (reconnect grace, liveness timers, clock, meters).
     * {@code GET /ws} is installed when {@code conferences} is not null.
     */
    public static Router create(Vertx vertx, SessionService sessions, ConferenceService conferences,
            AccessControl access, List<IceServer> iceServers, BooleanSupplier ready, Supplier<String> metrics,
            ConferenceSocketSettings socketSettings) {
        return create(vertx, sessions, conferences, access, iceServers, ready, metrics, socketSettings, false);
    }

    /**
     * As above; with {@code metricsNeedToken} {@code GET /metrics} answers only requests bearing a token with
     * {@code admin: true} (401 without a valid token, 403 with one that lacks it).
     */
    public static Router create(Vertx vertx, SessionService sessions, ConferenceService conferences,
            AccessControl access, List<IceServer> iceServers, BooleanSupplier ready, Supplier<String> metrics,
            ConferenceSocketSettings socketSettings, boolean metricsNeedToken) {
        return create(vertx, sessions, conferences, access, iceServers, ready, metrics, socketSettings,
                metricsNeedToken, RoomPlacement.LOCAL, null);
    }

    /**
     * As above, in a cluster: {@code placement} says which node serves a room (WHIP/WHEP for another node's room
     * are redirected with 307, a conference {@code join} is answered {@code wrong_node}), and {@code directory}
     * (null on a single node) is shown at {@code GET /api/cluster}.
     */
    public static Router create(Vertx vertx, SessionService sessions, ConferenceService conferences,
            AccessControl access, List<IceServer> iceServers, BooleanSupplier ready, Supplier<String> metrics,
            ConferenceSocketSettings socketSettings, boolean metricsNeedToken, RoomPlacement placement,
            RoomDirectory directory) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            Cors.addResponseHeaders(ctx.response());
            ctx.next();
        });
        for (SessionKind kind : SessionKind.values()) {
            new SessionRoutes(vertx, sessions, access, iceServers, kind, placement).install(router);
        }
        if (conferences != null) {
            AdminRoutes.install(router, vertx, conferences, sessions, access, directory);
            new ConferenceSocketRoute(conferences, access, socketSettings, placement).install(router);
        }
        router.get("/health/live").handler(ctx -> Responses.text(ctx, 200, "live"));
        router.get("/health/ready").handler(ctx -> {
            boolean isReady = ready.getAsBoolean();
            Responses.text(ctx, isReady ? 200 : 503, isReady ? "ready" : "not ready");
        });
        if (metrics != null) {
            if (metricsNeedToken) {
                router.get("/metrics").handler(ctx -> {
                    AccessDecision decision = access.checkAdmin(ctx.request().getHeader("Authorization"));
                    if (decision.allowed()) {
                        ctx.next();
                    } else {
                        if (!decision.forbidden()) {
                            ctx.response().putHeader("WWW-Authenticate", "Bearer");
                        }
                        Responses.text(ctx, decision.forbidden() ? 403 : 401, decision.reason());
                    }
                });
            }
            router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::get, false)
                    .onSuccess(text -> ctx.response()
                            .putHeader("Content-Type", PROMETHEUS_TEXT)
                            .putHeader("Cache-Control", "no-store")
                            .end(text))
                    .onFailure(ctx::fail));
        }
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(StaticHandler.create("webroot").setDirectoryListing(false));
        router.route().last().handler(ctx -> Responses.text(ctx, 404, "not found"));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status == 413) {
                Responses.text(ctx, 413, "request body larger than " + SessionRoutes.MAX_BODY_BYTES + " bytes");
            } else if (status >= 400 && status < 500) {
                Responses.text(ctx, status, "bad request");
            } else {
                LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
                Responses.text(ctx, 500, "internal server error");
            }
        });
        return router;
    }
}
