package org.sluice.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.auth.Authentication;
import org.sluice.api.auth.KeyFormatException;
import org.sluice.api.conference.ConferenceSocketSettings;
import org.sluice.api.conference.MicrometerSocketMetrics;
import org.sluice.api.conference.SocketMetrics;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.http.ApiRouter;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.session.SessionService;

/**
 * The HTTP server: Vert.x with the WHIP/WHEP, conferencing WebSocket, health, metrics and static routes over a
 * {@link SessionService} and a {@link ConferenceService}.
 * {@link #start} returns once the port is bound; {@link #close} stops Vert.x (not the engine).
 */
public final class SluiceServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final AtomicBoolean ready;

    private SluiceServer(Vertx vertx, HttpServer httpServer, AtomicBoolean ready) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.ready = ready;
    }

    /**
     * Starts serving {@code sessions} on the configured HTTP host and port.
     *
     * @throws IOException if the port cannot be bound
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, Clock clock)
            throws IOException {
        return start(config, sessions, clock, null);
    }

    /**
     * Starts serving {@code sessions}, and {@code GET /metrics} from {@code metrics} unless it is null.
     *
     * @throws IOException if the port cannot be bound
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, Clock clock,
            ServerMetrics metrics) throws IOException {
        return start(config, sessions, null, clock, metrics);
    }

    /**
     * Starts serving WHIP/WHEP from {@code sessions}, conferencing from {@code conferences} unless it is null, and
     * {@code GET /metrics} from {@code metrics} unless it is null.
     *
     * @throws IOException if the port cannot be bound
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, ConferenceService conferences,
            Clock clock, ServerMetrics metrics) throws IOException {
        ConferenceSocketSettings socketSettings = ConferenceSocketSettings.defaults(config.iceServers(),
                config.conferenceSettings().reconnectGrace(), clock,
                metrics == null ? SocketMetrics.NONE : new MicrometerSocketMetrics(metrics.registry()));
        return start(config, sessions, conferences, metrics, socketSettings);
    }

    /**
     * As above with explicit settings for the conferencing WebSocket (tests shorten its liveness timers).
     *
     * @throws IOException if the port cannot be bound
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, ConferenceService conferences,
            ServerMetrics metrics, ConferenceSocketSettings socketSettings) throws IOException {
        Authentication authentication;
        try {
            authentication = Authentication.load(config.authSecret(), config.auth(), socketSettings.clock());
        } catch (KeyFormatException e) {
            throw new IOException("token keys: " + e.getMessage(), e);
        }
        return start(config, sessions, conferences, metrics, socketSettings, authentication);
    }

    /**
     * As above with token checking already loaded (see {@link Authentication#load}); JWKS sources are re-read
     * every {@link Authentication#refreshInterval()} on a worker thread while the server runs.
     *
     * @throws IOException if the port cannot be bound
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, ConferenceService conferences,
            ServerMetrics metrics, ConferenceSocketSettings socketSettings, Authentication authentication)
            throws IOException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
        AtomicBoolean ready = new AtomicBoolean(false);
        AccessControl access = authentication.access();
        Router router = ApiRouter.create(vertx, sessions, conferences, access, config.iceServers(), ready::get,
                metrics == null ? null : metrics::scrape, socketSettings, authentication.metricsRequireToken());
        if (authentication.refresher().hasSources()) {
            vertx.setPeriodic(authentication.refreshInterval().toMillis(), id -> vertx.executeBlocking(() -> {
                authentication.refresher().refreshAll();
                return null;
            }, false));
        }
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.httpHost())
                            .setPort(config.httpPort())
                            .setWebSocketSubProtocols(List.of(ConferenceSocketSettings.SUBPROTOCOL))
                            .setMaxWebSocketFrameSize(ConferenceSocketSettings.MAX_FRAME_BYTES)
                            .setMaxWebSocketMessageSize(ConferenceSocketSettings.MAX_FRAME_BYTES))
                    .requestHandler(router)
                    .listen()
                    .toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ready.set(true);
            return new SluiceServer(vertx, server, ready);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(vertx);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot listen on " + config.httpHost() + ":" + config.httpPort()
                    + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(vertx);
            throw new IOException("interrupted while starting", e);
        }
    }

    /** The bound HTTP port (useful when the config asked for port 0). */
    public int httpPort() {
        return httpServer.actualPort();
    }

    /** Reports not-ready from now on ({@code /health/ready} answers 503), keeps serving. */
    public void stopAdmitting() {
        ready.set(false);
    }

    /** Reports not-ready (for load balancers), then stops the HTTP server and Vert.x. */
    @Override
    public void close() {
        ready.set(false);
        closeQuietly(vertx);
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway; nothing more to do
        }
    }
}
