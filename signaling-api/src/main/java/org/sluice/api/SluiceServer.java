package org.sluice.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sluice.api.auth.AccessControl;
import org.sluice.api.auth.Authentication;
import org.sluice.api.auth.KeyFormatException;
import org.sluice.api.cluster.ClusterNode;
import org.sluice.api.cluster.ClusterSettings;
import org.sluice.api.cluster.RoomDirectory;
import org.sluice.api.cluster.RoomPlacement;
import org.sluice.api.cluster.BroadcastRelays;
import org.sluice.core.session.RelayService;
import org.sluice.api.conference.ConferenceSocketSettings;
import org.sluice.api.conference.MicrometerSocketMetrics;
import org.sluice.api.conference.SocketMetrics;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.http.ApiRouter;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.RoomInfo;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.session.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Vert.x with the WHIP/WHEP, conferencing WebSocket, health, metrics and static routes over a
 * {@link SessionService} and a {@link ConferenceService}.
 * {@link #start} returns once the port is bound; {@link #close} stops Vert.x (not the engine).
 */
public final class SluiceServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;
    /** How long joining the cluster may take (Hazelcast looks for its members first). */
    private static final Duration CLUSTER_JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** How often the room directory is reconciled with this node's rooms. */
    static final long RECONCILE_INTERVAL_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final AtomicBoolean ready;
    private final RoomDirectory directory;

    private SluiceServer(Vertx vertx, HttpServer httpServer, AtomicBoolean ready, RoomDirectory directory) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.ready = ready;
        this.directory = directory;
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
        return start(config, sessions, conferences, metrics, socketSettings, authentication, config.cluster());
    }

    /**
     * As above, as a member of a cluster when {@code cluster} is enabled: Vert.x is clustered through Hazelcast,
     * rooms are placed through the cluster's room directory (reconciled with this node's rooms every
     * {@link #RECONCILE_INTERVAL_MILLIS} ms), and {@code GET /api/cluster} shows the members.
     *
     * @throws IOException if the port cannot be bound or the cluster cannot be joined
     */
    public static SluiceServer start(ServerConfig config, SessionService sessions, ConferenceService conferences,
            ServerMetrics metrics, ConferenceSocketSettings socketSettings, Authentication authentication,
            ClusterSettings cluster) throws IOException {
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8);
        Vertx vertx;
        RoomDirectory directory = null;
        if (cluster.enabled()) {
            ClusterNode node = ClusterNode.join(cluster, options, socketSettings.nanoTime(), CLUSTER_JOIN_TIMEOUT);
            vertx = node.vertx();
            directory = node.directory();
        } else {
            vertx = Vertx.vertx(options);
        }
        AtomicBoolean ready = new AtomicBoolean(false);
        AccessControl access = authentication.access();
        BroadcastRelays relays = directory != null && cluster.edgeRelays() && sessions instanceof RelayService relayService
                ? new BroadcastRelays(vertx, directory, relayService, sessions, socketSettings.nanoTime()).start()
                : null;
        RoomPlacement placement = relays != null ? relays : directory == null ? RoomPlacement.LOCAL : directory;
        Router router = ApiRouter.create(vertx, sessions, conferences, access, config.iceServers(), ready::get,
                metrics == null ? null : metrics::scrape, socketSettings, authentication.metricsRequireToken(),
                placement, directory);
        if (authentication.refresher().hasSources()) {
            vertx.setPeriodic(authentication.refreshInterval().toMillis(), id -> vertx.executeBlocking(() -> {
                authentication.refresher().refreshAll();
                return null;
            }, false));
        }
        if (directory != null) {
            RoomDirectory rooms = directory;
            vertx.setPeriodic(RECONCILE_INTERVAL_MILLIS, id -> vertx.executeBlocking(() -> {
                reconcile(rooms, sessions, conferences, relays);
                return null;
            }, false).onFailure(failure -> LOG.warn("reconciling the room directory failed: {}", failure.toString())));
            if (metrics != null) {
                Gauge.builder("sluice.cluster.members", rooms, RoomDirectory::members)
                        .description("members of the cluster this node sees").register(metrics.registry());
                FunctionCounter.builder("sluice.cluster.redirects", rooms, RoomDirectory::redirects)
                        .description("clients sent to the cluster node that serves their room")
                        .register(metrics.registry());
                if (relays != null && sessions instanceof RelayService relayService) {
                    Gauge.builder("sluice.relays", relayService, RelayService::relaysOut).tag("direction", "out")
                            .description("broadcast relays from this node to edges (one per edge and room)")
                            .register(metrics.registry());
                    Gauge.builder("sluice.relays", relayService, RelayService::relaysIn).tag("direction", "in")
                            .description("broadcast rooms here fed by a relay from their origin node")
                            .register(metrics.registry());
                    FunctionCounter.builder("sluice.relay.requests", relays, BroadcastRelays::relaysRequested)
                            .description("relays this node asked origins for").register(metrics.registry());
                    FunctionCounter.builder("sluice.relay.failures", relays, BroadcastRelays::relaysFailed)
                            .description("relay requests or relay offers that failed").register(metrics.registry());
                }
            }
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
            return new SluiceServer(vertx, server, ready, directory);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(vertx, directory);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot listen on " + config.httpHost() + ":" + config.httpPort()
                    + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(vertx, directory);
            throw new IOException("interrupted while starting", e);
        }
    }

    /** Brings the directory in line with the rooms this node serves (a worker thread). */
    private static void reconcile(RoomDirectory directory, SessionService sessions, ConferenceService conferences,
                                  BroadcastRelays relays) {
        if (conferences != null) {
            directory.reconcile(RoomPlacement.Kind.CONFERENCE, conferences.rooms().stream().map(RoomInfo::name)
                    .toList());
        }
        if (sessions != null) {
            // An edge room is its origin's, not ours: only the rooms served here on their own are claimed.
            directory.reconcile(RoomPlacement.Kind.BROADCAST, sessions.broadcasts().stream()
                    .filter(b -> relays == null || !relays.isEdge(b.room()))
                    .filter(b -> b.publisher() == null || b.publisher().relayFrom() == null)
                    .map(BroadcastStats::room).toList());
        }
    }

    /** This node's cluster directory, or null on a single node. */
    public RoomDirectory directory() {
        return directory;
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
        closeQuietly(vertx, directory);
    }

    /** Leaves the room directory (its rooms are free at once), then stops Vert.x (which leaves the cluster). */
    private static void closeQuietly(Vertx vertx, RoomDirectory directory) {
        if (directory != null) {
            directory.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway; nothing more to do
        }
    }
}
