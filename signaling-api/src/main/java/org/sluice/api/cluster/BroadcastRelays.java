package org.sluice.api.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.session.RelayService;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;

/**
 * Broadcast cascading across the cluster. A WHEP viewer that reaches a node other than the one serving its broadcast
 * (the origin) is served where it is: that node becomes an edge of the room and asks the origin for a relay over the
 * event bus; the origin answers with a relay offer ({@link RelayService#offerRelay}), the edge takes it as the room's
 * publisher ({@link RelayService#publishRelay}) and replies with its answer, and the origin dials the edge
 * ({@link RelayService#startRelay}). Every layer goes once per edge, and each edge fans out to its own viewers; NACKs
 * and PLIs flow back over the relay.
 *
 * <p>An edge checks its rooms every {@value #TICK_MILLIS} ms: a room with viewers and no feed asks the room's owner
 * again (at most every {@value #ASK_INTERVAL_MILLIS} ms; after the origin died that is the node the publisher
 * re-published on), a room without viewers for {@value #LINGER_MILLIS} ms ends its relay and stops being an edge, and a
 * room that got a publisher of its own stops being an edge (it is the origin now). The relays from a member that left
 * the cluster end at once, so a republished broadcast is picked up within a tick. The viewers keep their peer
 * connections throughout: the room's slots outlive its publishers, relays included.
 */
public final class BroadcastRelays implements RoomPlacement {

    static final String ADDRESS_PREFIX = "sluice.relay.";
    static final long TICK_MILLIS = 1_000;
    static final long ASK_INTERVAL_MILLIS = 2_000;
    static final long LINGER_MILLIS = 5_000;
    private static final long REPLY_TIMEOUT_MILLIS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRelays.class);

    private final Vertx vertx;
    private final RoomDirectory directory;
    private final RelayService relays;
    private final SessionService sessions;
    private final LongSupplier nanoClock;
    /** Rooms this node serves as an edge → when it last had a viewer (nanoClock). */
    private final Map<String, Long> edges = new ConcurrentHashMap<>();
    /** Room → when we last asked its origin for a relay. */
    private final Map<String, Long> asked = new ConcurrentHashMap<>();
    private final LongAdder relaysRequested = new LongAdder();
    private final LongAdder relaysFailed = new LongAdder();
    private long timer = -1;

    public BroadcastRelays(Vertx vertx, RoomDirectory directory, RelayService relays, SessionService sessions,
                           LongSupplier nanoClock) {
        this.vertx = vertx;
        this.directory = directory;
        this.relays = relays;
        this.sessions = sessions;
        this.nanoClock = nanoClock;
    }

    /** Listens for relay requests addressed to this member, ends relays of members that leave, and starts the tick. */
    public BroadcastRelays start() {
        vertx.eventBus().<JsonObject>consumer(ADDRESS_PREFIX + directory.self(), this::onRelayRequest);
        directory.onDeparture(member -> vertx.executeBlocking(() -> relays.endRelaysFrom(member), false)
                .onSuccess(ended -> {
                    if (ended > 0) {
                        LOG.info("member {} left: {} relay(s) from it ended", member, ended);
                    }
                }));
        timer = vertx.setPeriodic(TICK_MILLIS, id -> vertx.executeBlocking(() -> {
            tick();
            return null;
        }, false).onFailure(e -> LOG.warn("checking the edge rooms failed: {}", e.toString())));
        return this;
    }

    /** Stops the tick. */
    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // ------------------------------------------------------------------ placement: the directory, plus edges

    @Override
    public Optional<String> claim(Kind kind, String room) throws PlacementUnavailable {
        return directory.claim(kind, room);
    }

    @Override
    public Optional<String> locate(Kind kind, String room) throws PlacementUnavailable {
        return directory.locate(kind, room);
    }

    @Override
    public void redirected() {
        directory.redirected();
    }

    @Override
    public boolean servesViewersAsEdge() {
        return true;
    }

    @Override
    public void viewerServedAsEdge(String room) {
        boolean fresh = edges.put(room, nanoClock.getAsLong()) == null;
        if (fresh) {
            LOG.info("broadcast {} is served on another node: this node becomes its edge", room);
            vertx.executeBlocking(() -> {
                askForFeed(room);
                return null;
            }, false);
        }
    }

    /** Whether this node serves {@code room} as an edge (it must not claim the room in the directory). */
    public boolean isEdge(String room) {
        return edges.containsKey(room);
    }

    /** Relay requests sent to origins since start. */
    public long relaysRequested() {
        return relaysRequested.sum();
    }

    /** Relay requests that failed (no answer, an offer or answer refused). */
    public long relaysFailed() {
        return relaysFailed.sum();
    }

    /** The rooms this node serves as an edge now. */
    public java.util.Set<String> edgeRooms() {
        return java.util.Set.copyOf(edges.keySet());
    }

    // ------------------------------------------------------------------ the edge side

    /** Once a tick, on a worker: feed, keep or drop each edge room. */
    void tick() {
        long now = nanoClock.getAsLong();
        Map<String, BroadcastStats> live = new java.util.HashMap<>();
        for (BroadcastStats stats : sessions.broadcasts()) {
            live.put(stats.room(), stats);
        }
        for (String room : java.util.List.copyOf(edges.keySet())) {
            BroadcastStats stats = live.get(room);
            BroadcastStats.Publisher publisher = stats == null ? null : stats.publisher();
            if (publisher != null && publisher.relayFrom() == null) {
                edges.remove(room); // a publisher of its own: this node is the room's origin now
                LOG.info("broadcast {} has its publisher here now: no longer an edge", room);
                continue;
            }
            long viewers = stats == null ? 0 : stats.viewers().stream().filter(v -> v.relayTo() == null).count();
            if (viewers > 0) {
                edges.put(room, now);
                if (publisher == null) {
                    askForFeed(room);
                }
            } else if (now - edges.getOrDefault(room, now) >= LINGER_MILLIS * 1_000_000L) {
                edges.remove(room);
                asked.remove(room);
                if (publisher != null) {
                    sessions.end(publisher.sessionId());
                }
                LOG.info("broadcast {}: no viewer here for {} ms, the relay ends", room, LINGER_MILLIS);
            }
        }
    }

    /** Asks the room's origin for a relay, unless asked within the last {@value #ASK_INTERVAL_MILLIS} ms. Blocking. */
    private void askForFeed(String room) {
        long now = nanoClock.getAsLong();
        Long last = asked.get(room);
        if (last != null && now - last < ASK_INTERVAL_MILLIS * 1_000_000L) {
            return;
        }
        Optional<String> origin;
        try {
            origin = directory.owner(Kind.BROADCAST, room);
        } catch (PlacementUnavailable e) {
            LOG.debug("broadcast {}: the directory did not answer: {}", room, e.getMessage());
            return;
        }
        if (origin.isEmpty()) {
            return; // nobody publishes it now; asked again when someone does
        }
        asked.put(room, now);
        relaysRequested.increment();
        String from = origin.get();
        JsonObject request = new JsonObject().put("room", room).put("edge", directory.self());
        vertx.eventBus().<String>request(ADDRESS_PREFIX + from, request,
                        new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MILLIS))
                .compose(offer -> vertx.executeBlocking(() -> answer(room, from, offer), false))
                .onFailure(e -> {
                    relaysFailed.increment();
                    asked.remove(room); // ask again at the next tick
                    LOG.warn("broadcast {}: no relay from {}: {}", room, from, e.getMessage());
                });
    }

    /** Takes the origin's offer as the room's relay publisher and replies with our answer. Blocking. */
    private Void answer(String room, String origin, Message<String> offer) {
        SessionAnswer answer;
        try {
            answer = relays.publishRelay(room, offer.body(), origin);
        } catch (Exception e) {
            offer.fail(409, e.getMessage() == null ? e.toString() : e.getMessage());
            throw new IllegalStateException("the relay offer was refused: " + e.getMessage(), e);
        }
        offer.reply(answer.answerSdp());
        LOG.info("broadcast {}: relay from {} taken as session {}", room, origin, answer.sessionId());
        return null;
    }

    // ------------------------------------------------------------------ the origin side

    private void onRelayRequest(Message<JsonObject> request) {
        JsonObject body = request.body();
        String room = body == null ? null : body.getString("room");
        String edge = body == null ? null : body.getString("edge");
        if (room == null || edge == null) {
            request.fail(400, "a relay request names the room and the edge");
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean offered = new java.util.concurrent.atomic.AtomicBoolean();
        vertx.executeBlocking(() -> relays.offerRelay(room), false)
                .compose(offer -> {
                    offered.set(true);
                    return request.<String>replyAndRequest(offer.sdp(),
                                    new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MILLIS))
                            .compose(answer -> vertx.executeBlocking(
                                    () -> relays.startRelay(offer, answer.body(), edge), false));
                })
                .onSuccess(id -> LOG.info("broadcast {}: relaying to member {} (session {})", room, edge, id))
                .onFailure(e -> {
                    relaysFailed.increment();
                    LOG.warn("broadcast {}: relay to member {} failed: {}", room, edge, e.getMessage());
                    if (!offered.get()) {
                        request.fail(500, String.valueOf(e.getMessage())); // no offer: the edge asks again
                    }
                });
    }
}
