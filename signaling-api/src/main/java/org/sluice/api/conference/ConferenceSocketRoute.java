package org.sluice.api.conference;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.sluice.api.cluster.RoomPlacement;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.auth.TokenCheck;
import org.sluice.core.conference.ConferenceService;

/**
 * {@code GET /ws}: upgrades to a WebSocket and hands it to a {@link ConferenceConnection}. The token (the
 * {@code access_token} query parameter or a {@code bearer.<jwt>} subprotocol) is checked before the upgrade; a
 * refused token still gets the upgrade, then one {@code unauthorized} error and close 4401, so a browser learns
 * why. The server's WebSocket options must list {@link ConferenceSocketSettings#SUBPROTOCOL} (see
 * {@code SluiceServer}) so that {@code sluice.v1} is selected.
 */
public final class ConferenceSocketRoute {

    /** Path of the endpoint. */
    public static final String PATH = "/ws";

    private final ConferenceService conferences;
    private final AccessControl access;
    private final ConferenceSocketSettings settings;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final LiveConnections live = new LiveConnections();
    private final RoomPlacement placement;

    public ConferenceSocketRoute(ConferenceService conferences, AccessControl access,
            ConferenceSocketSettings settings) {
        this(conferences, access, settings, RoomPlacement.LOCAL);
    }

    /** With a cluster's placement: a {@code join} for a room another node serves is answered {@code wrong_node}. */
    public ConferenceSocketRoute(ConferenceService conferences, AccessControl access,
            ConferenceSocketSettings settings, RoomPlacement placement) {
        this.conferences = conferences;
        this.access = access;
        this.settings = settings;
        this.placement = placement;
    }

    /** Adds {@code GET /ws} to {@code router}. */
    public void install(Router router) {
        router.route(PATH).method(HttpMethod.GET).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        TokenCheck check = access.verifyToken(SocketToken.find(request.getParam("access_token"),
                request.getHeader("Sec-WebSocket-Protocol")));
        Vertx vertx = ctx.vertx();
        request.toWebSocket()
                .onSuccess(socket -> accept(socket, check, vertx.getOrCreateContext()))
                .onFailure(failure -> {
                    if (!ctx.response().headWritten() && !ctx.response().ended()) {
                        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end("expected a WebSocket upgrade");
                    }
                });
    }

    private void accept(ServerWebSocket socket, TokenCheck check, Context context) {
        if (!check.isValid()) {
            settings.metrics().error(ErrorCode.UNAUTHORIZED.wireName());
            socket.writeTextMessage(ServerMessages.error(null, ErrorCode.UNAUTHORIZED.wireName(),
                    check.rejectReason()).encode());
            settings.metrics().messageSent();
            socket.close((short) 4401, "unauthorized");
            return;
        }
        new ConferenceConnection(socket, context, conferences, live, check.grant(), codec, settings, placement)
                .start();
    }
}
