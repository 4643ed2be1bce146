package org.sluice.api.http;

import org.sluice.api.web.Cors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.auth.AccessDecision;
import org.sluice.api.cluster.RoomPlacement;
import org.sluice.core.session.IceServer;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;
import org.sluice.core.session.TrickleResult;
import org.sluice.core.session.UnknownSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP or WHEP routes for one {@link SessionKind}: {@code POST /whip/{room}} creates a session,
 * {@code PATCH /whip/{room}/{id}} trickles ICE, {@code DELETE /whip/{room}/{id}} ends it; {@code
 * OPTIONS} answers CORS preflights; other methods get 405. Engine calls run off the event loop.
 */
final class SessionRoutes {

    /** Largest SDP offer or fragment accepted. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final String SDP = "application/sdp";
    static final String SDP_FRAG = "application/trickle-ice-sdpfrag";

    private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");
    private static final String ENDPOINT_METHODS = "OPTIONS, POST";
    private static final String RESOURCE_METHODS = "OPTIONS, PATCH, DELETE";

    private final Vertx vertx;
    private final SessionService sessions;
    private final AccessControl access;
    private final List<IceServer> iceServers;
    private final SessionKind kind;
    private final RoomPlacement placement;

    SessionRoutes(Vertx vertx, SessionService sessions, AccessControl access, List<IceServer> iceServers,
            SessionKind kind, RoomPlacement placement) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.access = access;
        this.iceServers = List.copyOf(iceServers);
        this.kind = kind;
        this.placement = placement;
    }

    void install(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        // Vert.x wants the body handler before user handlers; the 64 KiB cap bounds what an
        // unauthorized client can make us buffer.
        router.route(kind.prefix() + "/:room")
                .handler(body)
                .handler(ctx -> gate(ctx, Set.of(HttpMethod.POST), ENDPOINT_METHODS, "Accept-Post", SDP))
                .handler(this::authorize)
                .handler(ctx -> requireContentType(ctx, SDP))
                .handler(this::createSession);
        router.route(kind.prefix() + "/:room/:session")
                .handler(body)
                .handler(ctx -> gate(ctx, Set.of(HttpMethod.PATCH, HttpMethod.DELETE), RESOURCE_METHODS,
                        "Accept-Patch", SDP_FRAG))
                .handler(this::authorize)
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.PATCH) {
                        requireContentType(ctx, SDP_FRAG);
                    } else {
                        ctx.next();
                    }
                })
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.PATCH) {
                        trickle(ctx);
                    } else {
                        endSession(ctx);
                    }
                });
    }

    /** OPTIONS and 405 for methods this path does not take; names checked. */
    private static void gate(RoutingContext ctx, Set<HttpMethod> allowed, String allowHeader,
            String acceptHeader, String acceptValue) {
        HttpServerResponse response = ctx.response();
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.OPTIONS) {
            Cors.addPreflightHeaders(response, allowHeader);
            response.putHeader("Allow", allowHeader).putHeader(acceptHeader, acceptValue)
                    .setStatusCode(204).end();
            return;
        }
        if (!allowed.contains(method)) {
            response.putHeader("Allow", allowHeader);
            Responses.text(ctx, 405, "method not allowed; allowed: " + allowHeader);
            return;
        }
        String room = ctx.pathParam("room");
        String session = ctx.pathParam("session");
        if (!NAME.matcher(room).matches() || (session != null && !NAME.matcher(session).matches())) {
            Responses.text(ctx, session == null ? 400 : 404,
                    session == null ? "invalid room name" : "no such session");
            return;
        }
        ctx.next();
    }

    private void authorize(RoutingContext ctx) {
        AccessDecision decision = access.check(ctx.request().getHeader("Authorization"), kind.action(),
                ctx.pathParam("room"));
        if (!decision.allowed()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            Responses.text(ctx, 401, decision.reason());
            return;
        }
        ctx.next();
    }

    private static void requireContentType(RoutingContext ctx, String expected) {
        String contentType = ctx.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) {
            Responses.text(ctx, 415, "Content-Type must be " + expected);
            return;
        }
        ctx.next();
    }

    private void createSession(RoutingContext ctx) {
        String room = ctx.pathParam("room");
        String offer = ctx.body().asString("UTF-8");
        Callable<Object> call = () -> {
            Optional<String> elsewhere = placement.claim(RoomPlacement.Kind.BROADCAST, room);
            if (elsewhere.isPresent() && kind == SessionKind.WHEP && placement.servesViewersAsEdge()) {
                SessionAnswer answer = sessions.subscribe(room, offer); // served here, fed by a relay
                placement.viewerServedAsEdge(room);
                return answer;
            }
            if (elsewhere.isPresent()) {
                return new ServedElsewhere(elsewhere.get());
            }
            return kind == SessionKind.WHIP ? sessions.publish(room, offer) : sessions.subscribe(room, offer);
        };
        offEventLoop(call).onComplete(result -> {
            if (result.failed()) {
                fail(ctx, result.cause());
                return;
            }
            if (result.result() instanceof ServedElsewhere elsewhere) {
                redirect(ctx, elsewhere); // RFC 9725 §4.5: the client re-POSTs the offer there
                return;
            }
            SessionAnswer answer = (SessionAnswer) result.result();
            HttpServerResponse response = ctx.response()
                    .setStatusCode(201)
                    .putHeader("Location", kind.prefix() + "/" + room + "/" + answer.sessionId())
                    .putHeader("ETag", EntityTags.quote(answer.etag()))
                    .putHeader("Content-Type", SDP)
                    .putHeader("Accept-Patch", SDP_FRAG);
            for (IceServer server : advertisedIceServers()) {
                response.headers().add("Link", LinkHeaders.iceServer(server));
            }
            response.end(answer.answerSdp());
        });
    }

    private List<IceServer> advertisedIceServers() {
        List<IceServer> fromEngine = sessions.iceServers();
        if (fromEngine == null || fromEngine.isEmpty()) {
            return iceServers;
        }
        return Stream.concat(iceServers.stream(), fromEngine.stream()).distinct().toList();
    }

    private void trickle(RoutingContext ctx) {
        String sessionId = ctx.pathParam("session");
        String ifMatch = ctx.request().getHeader("If-Match");
        String fragment = ctx.body().asString("UTF-8");
        String room = ctx.pathParam("room");
        offEventLoop(() -> {
            String current = sessions.etag(sessionId);
            if (current == null) {
                Optional<String> elsewhere = placement.locate(RoomPlacement.Kind.BROADCAST, room);
                if (elsewhere.isPresent()) {
                    return new ServedElsewhere(elsewhere.get());
                }
                throw new UnknownSessionException(sessionId);
            }
            if (!EntityTags.ifMatch(ifMatch, current)) {
                return null; // precondition failed
            }
            return sessions.trickle(sessionId, fragment);
        }).onComplete(result -> {
            if (result.failed()) {
                fail(ctx, result.cause());
                return;
            }
            if (result.result() instanceof ServedElsewhere elsewhere) {
                redirect(ctx, elsewhere);
                return;
            }
            TrickleResult trickle = (TrickleResult) result.result();
            if (trickle == null) {
                Responses.text(ctx, 412, "If-Match does not match the session's ETag");
                return;
            }
            HttpServerResponse response = ctx.response();
            if (trickle.etag() != null) {
                response.putHeader("ETag", EntityTags.quote(trickle.etag()));
            }
            if (trickle.isIceRestart()) {
                response.setStatusCode(200).putHeader("Content-Type", SDP_FRAG).end(trickle.answerFragment());
            } else {
                response.setStatusCode(204).end();
            }
        });
    }

    private void endSession(RoutingContext ctx) {
        String sessionId = ctx.pathParam("session");
        String room = ctx.pathParam("room");
        offEventLoop(() -> {
            if (sessions.end(sessionId)) {
                return Boolean.TRUE;
            }
            Optional<String> elsewhere = placement.locate(RoomPlacement.Kind.BROADCAST, room);
            return elsewhere.isPresent() ? new ServedElsewhere(elsewhere.get()) : Boolean.FALSE;
        }).onComplete(result -> {
            if (result.failed()) {
                fail(ctx, result.cause());
            } else if (result.result() instanceof ServedElsewhere elsewhere) {
                redirect(ctx, elsewhere);
            } else if (Boolean.TRUE.equals(result.result())) {
                ctx.response().setStatusCode(200).end();
            } else {
                Responses.text(ctx, 404, "no such session");
            }
        });
    }

    private <T> Future<T> offEventLoop(Callable<T> call) {
        return vertx.executeBlocking(call, false);
    }

    /**
     * 307 to the same path on the node that serves the room: an offer for its room, or a PATCH/DELETE of a session
     * that lives there (a load balancer may send those to any node).
     */
    private void redirect(RoutingContext ctx, ServedElsewhere elsewhere) {
        placement.redirected();
        ctx.response().setStatusCode(307)
                .putHeader("Location", stripSlash(elsewhere.baseUrl()) + ctx.request().uri())
                .putHeader("Cache-Control", "no-store")
                .end();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The room is served by another cluster node, at this base URL. */
    private record ServedElsewhere(String baseUrl) {
    }

    private static void fail(RoutingContext ctx, Throwable cause) {
        if (cause instanceof RoomPlacement.PlacementUnavailable unavailable) {
            ctx.response().putHeader("Retry-After", "1");
            Responses.text(ctx, 503, unavailable.getMessage());
            return;
        }
        if (cause instanceof OfferRejectedException rejected) {
            Responses.text(ctx, RejectionStatus.of(rejected.reason()),
                    rejected.getMessage() == null ? rejected.reason().name() : rejected.getMessage());
        } else if (cause instanceof UnknownSessionException) {
            Responses.text(ctx, 404, "no such session");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), cause);
            Responses.text(ctx, 500, "internal server error");
        }
    }
}
