package org.sluice.api.conference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.auth.Grant;
import org.sluice.api.cluster.RoomPlacement;
import org.sluice.core.conference.ConferenceEvent;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.JoinRequest;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantListener;
import org.sluice.core.conference.SubscriptionPreferences;
import org.sluice.core.datachannel.RoomDataRelay;

/**
 * One conferencing WebSocket and the participant it drives. A state machine: before {@code join} only
 * {@code join} and {@code ping} are accepted; one {@code join} and one {@code offer} at a time; after
 * {@code leave} or {@code removed} nothing. Engine calls run on Vert.x workers, chained so a client's requests are
 * applied in the order it sent them; replies and events are written on the socket's context. Events that arrive
 * while the join is in flight wait until {@code joined} is sent. A socket closed without {@code leave} detaches the
 * participant (unless a newer socket resumed it).
 */
final class ConferenceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceConnection.class);

    private enum Phase { NEW, JOINING, JOINED, ENDED }

    private final ServerWebSocket socket;
    private final Context context;
    private final ConferenceService conferences;
    private final LiveConnections live;
    private final Grant grant;
    private final ProtocolCodec codec;
    private final ConferenceSocketSettings settings;
    private final RoomPlacement placement;
    private final SocketLiveness liveness;
    private final PreferenceBook preferences = new PreferenceBook();
    private final ParticipantListener listener;

    // confined to the socket's context
    private final List<ConferenceEvent> pendingEvents = new ArrayList<>();
    private Phase phase = Phase.NEW;
    private boolean offerInFlight;
    private Future<?> tail = Future.succeededFuture();

    // written by engine tasks (which the chain serialises), read anywhere
    private volatile Participant participant;
    private volatile boolean finished;

    ConferenceConnection(ServerWebSocket socket, Context context, ConferenceService conferences, LiveConnections live,
            Grant grant, ProtocolCodec codec, ConferenceSocketSettings settings, RoomPlacement placement) {
        this.socket = socket;
        this.context = context;
        this.conferences = conferences;
        this.live = live;
        this.grant = grant;
        this.codec = codec;
        this.settings = settings;
        this.placement = placement;
        this.liveness = new SocketLiveness(context.owner(), socket, settings.pingInterval(), settings.idleTimeout(),
                settings.nanoTime());
        this.listener = event -> {
            try {
                context.runOnContext(v -> onEvent(event));
            } catch (RejectedExecutionException e) {
                // The server is closing (its event loops are gone): there is no socket left to tell.
            }
        };
    }

    /** Installs the socket's handlers; call on the socket's context. */
    void start() {
        settings.metrics().connectionOpened();
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(data -> {
            liveness.heard();
            settings.metrics().messageReceived();
            sendError(null, ErrorCode.BAD_JSON.wireName(), "binary messages are not supported");
        });
        socket.exceptionHandler(this::onFailure);
        socket.closeHandler(v -> onClosed());
        liveness.start();
    }

    /** A newer socket resumed this participant: close this one with 4409. */
    void supersede() {
        context.runOnContext(v -> {
            phase = Phase.ENDED;
            pendingEvents.clear();
            socket.close((short) 4409, "resumed on another connection");
        });
    }

    /**
     * Vert.x reports a fragmented message above its message limit here (and drops it) instead of closing; the
     * protocol says such a socket is closed with 1009, as Netty does for a single oversized frame.
     */
    private void onFailure(Throwable failure) {
        if (failure instanceof IllegalStateException
                && String.valueOf(failure.getMessage()).contains("max message size")) {
            socket.close((short) 1009, "message too big");
            return;
        }
        LOG.debug("conference socket failed: {}", failure.toString());
    }

    private void onText(String text) {
        liveness.heard();
        settings.metrics().messageReceived();
        if (phase == Phase.ENDED) {
            return;
        }
        if (exceedsLimit(text)) {
            sendError(null, ErrorCode.TOO_LARGE.wireName(),
                    "message larger than " + settings.maxMessageBytes() + " bytes");
            return;
        }
        Decoded decoded = codec.decode(text);
        if (!decoded.isValid()) {
            sendError(decoded.id(), decoded.error().wireName(), decoded.reason());
            return;
        }
        handle(decoded.id(), decoded.message());
    }

    private boolean exceedsLimit(String text) {
        int limit = settings.maxMessageBytes();
        if (text.length() > limit) {
            return true;
        }
        return text.length() > limit / 3 && text.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    private void handle(Object id, ClientMessage message) {
        if (message instanceof ClientMessage.Ping) {
            reply(id, ServerMessages.pong(id, settings.clock().millis()));
            return;
        }
        if (message instanceof ClientMessage.Join join) {
            if (phase != Phase.NEW) {
                sendError(id, ErrorCode.OUT_OF_ORDER.wireName(), "already joined");
            } else {
                join(id, join);
            }
            return;
        }
        if (phase == Phase.NEW) {
            sendError(id, ErrorCode.OUT_OF_ORDER.wireName(), "join first");
            return;
        }
        if (message instanceof ClientMessage.Offer offer) {
            offer(id, offer);
        } else if (message instanceof ClientMessage.Trickle) {
            reply(id, ServerMessages.ok(id));
        } else if (message instanceof ClientMessage.Unpublish m) {
            engineCall(id, p -> {
                p.unpublish(m.trackId());
                return null;
            });
        } else if (message instanceof ClientMessage.Mute m) {
            engineCall(id, p -> {
                p.setMuted(m.trackId(), m.muted());
                return null;
            });
        } else if (message instanceof ClientMessage.Subscribe m) {
            engineCall(id, p -> {
                p.subscribe(m.trackIds());
                return null;
            });
        } else if (message instanceof ClientMessage.Unsubscribe m) {
            engineCall(id, p -> {
                p.unsubscribe(m.trackIds());
                return null;
            });
        } else if (message instanceof ClientMessage.Preferences m) {
            engineCall(id, p -> {
                SubscriptionPreferences merged = preferences.merged(m);
                p.setPreferences(m.trackId(), merged);
                preferences.remember(m.trackId(), merged);
                return null;
            });
        } else if (message instanceof ClientMessage.Update m) {
            engineCall(id, p -> {
                p.update(m.name(), m.metadata());
                return null;
            });
        } else if (message instanceof ClientMessage.Data m) {
            sendData(id, m);
        } else if (message instanceof ClientMessage.DataTopics m) {
            engineCall(id, p -> {
                p.followTopics(m.topics());
                return null;
            });
        } else if (message instanceof ClientMessage.Answered) {
            engineCall(id, p -> {
                p.answerApplied();
                return null;
            });
        } else if (message instanceof ClientMessage.Leave) {
            leave(id);
        }
    }

    private void join(Object id, ClientMessage.Join join) {
        if (join.room() != null && !grant.allowsJoining(join.room())) {
            sendError(id, ErrorCode.NOT_ALLOWED.wireName(), "the token does not allow joining this room");
            return;
        }
        phase = Phase.JOINING;
        Future<JoinOutcome> outcome = chain(() -> join.resume() == null ? joinFresh(id, join) : resume(id, join));
        outcome.onComplete(result -> {
            if (phase == Phase.ENDED) {
                return; // closed meanwhile: the chained detach takes care of the participant
            }
            if (result.failed()) {
                phase = Phase.NEW;
                pendingEvents.clear();
                fail(id, result.cause());
                return;
            }
            phase = Phase.JOINED;
            reply(id, result.result().joined());
            List<ConferenceEvent> waiting = List.copyOf(pendingEvents);
            pendingEvents.clear();
            waiting.forEach(this::deliver);
            if (result.result().previous() != null) {
                result.result().previous().supersede();
            }
        });
    }

    /** Runs on a worker. */
    private JoinOutcome joinFresh(Object id, ClientMessage.Join join) throws Exception {
        Optional<String> elsewhere = placement.claim(RoomPlacement.Kind.CONFERENCE, join.room());
        if (elsewhere.isPresent()) {
            throw new ServedElsewhere(elsewhere.get());
        }
        Participant joined = conferences.join(new JoinRequest(join.room(), join.name(), join.metadata(),
                join.autoSubscribe(), grant.publish(), grant.subscribe()), listener);
        JsonObject message;
        try {
            message = joinedMessage(id, joined, false);
        } catch (RuntimeException e) {
            joined.leave(); // the client never learns of this participant: do not leave it orphaned
            throw e;
        }
        participant = joined;
        live.joined(joined.id(), this);
        return new JoinOutcome(message, null);
    }

    /** Runs on a worker. */
    private JoinOutcome resume(Object id, ClientMessage.Join join) throws ConferenceException {
        LiveConnections.Resumed resumed = live.resume(conferences, join.resume().participantId(),
                join.resume().resumeToken(), listener, this);
        Participant p = resumed.participant();
        if (!grant.allowsJoining(p.room())) {
            live.detachIfCurrent(p, this);
            throw new ConferenceException(ConferenceException.Code.NOT_ALLOWED,
                    "the token does not allow joining this room");
        }
        JsonObject message;
        try {
            message = joinedMessage(id, p, true);
        } catch (RuntimeException e) {
            live.detachIfCurrent(p, this); // back to detached: the client may try again within the grace period
            throw e;
        }
        participant = p;
        return new JoinOutcome(message, resumed.previous());
    }

    private JsonObject joinedMessage(Object id, Participant p, boolean resumed) {
        return ServerMessages.joined(id, p, p.others(), settings.iceServers(), settings.reconnectGrace(), resumed);
    }

    private void offer(Object id, ClientMessage.Offer offer) {
        if (offerInFlight) {
            sendError(id, ErrorCode.OUT_OF_ORDER.wireName(), "an offer is already in flight");
            return;
        }
        offerInFlight = true;
        chain(participantCall(p -> p.offer(offer.sdp(), offer.publications()))).onComplete(result -> {
            offerInFlight = false;
            answer(id, result, r -> ServerMessages.answer(id, r));
        });
    }

    /** Routes a room message at once (not behind queued engine calls): it touches no room state. */
    private void sendData(Object id, ClientMessage.Data message) {
        Participant p = participant;
        if (p == null || finished) {
            sendError(id, ErrorCode.OUT_OF_ORDER.wireName(), "not joined");
            return;
        }
        RoomDataRelay.Outcome outcome;
        try {
            outcome = p.sendData(message.envelope(), message.reliable());
        } catch (ConferenceException e) {
            fail(id, e);
            return;
        }
        switch (outcome) {
            case ROUTED -> reply(id, ServerMessages.ok(id));
            case RATE_LIMITED -> sendError(id, ErrorCode.RATE_LIMITED.wireName(),
                    "over this participant's message or byte rate");
            case UNKNOWN_RECIPIENTS -> sendError(id, ErrorCode.UNKNOWN_PARTICIPANT.wireName(),
                    "none of the named participants is in the room");
            case NOT_A_MEMBER -> sendError(id, "closed", "you have left the room");
        }
    }

    private void leave(Object id) {
        phase = Phase.ENDED;
        pendingEvents.clear();
        chain(participantCall(p -> {
            p.leave();
            finished = true;
            live.remove(p.id(), this);
            return null;
        })).onComplete(result -> {
            answer(id, result, r -> ServerMessages.ok(id));
            socket.close((short) 1000, "left");
        });
    }

    private <T> void engineCall(Object id, EngineCall<T> call) {
        chain(participantCall(call)).onComplete(result -> answer(id, result, r -> ServerMessages.ok(id)));
    }

    private <T> Callable<T> participantCall(EngineCall<T> call) {
        return () -> {
            Participant p = participant;
            if (p == null || finished) {
                throw new NotJoined();
            }
            return call.apply(p);
        };
    }

    /** Runs {@code task} on a worker after every task this connection queued before. */
    private <T> Future<T> chain(Callable<T> task) {
        Future<T> result = tail.transform(previous -> context.executeBlocking(task, false));
        tail = result;
        return result;
    }

    private void onEvent(ConferenceEvent event) {
        if (phase == Phase.ENDED) {
            return;
        }
        if (phase != Phase.JOINED) {
            pendingEvents.add(event);
            return;
        }
        deliver(event);
    }

    private void deliver(ConferenceEvent event) {
        send(ServerMessages.event(event));
        if (event instanceof ConferenceEvent.Removed) {
            finished = true;
            phase = Phase.ENDED;
            Participant p = participant;
            if (p != null) {
                live.remove(p.id(), this);
            }
            socket.close((short) 4000, "removed");
        }
    }

    private void onClosed() {
        liveness.stop();
        settings.metrics().connectionClosed();
        phase = Phase.ENDED;
        pendingEvents.clear();
        chain(() -> {
            Participant p = participant;
            if (p != null && !finished) {
                live.detachIfCurrent(p, this);
            }
            return null;
        }).onFailure(failure -> LOG.error("detaching a participant failed", failure));
    }

    private <T> void answer(Object id, AsyncResult<T> result, Function<T, JsonObject> success) {
        if (result.succeeded()) {
            reply(id, success.apply(result.result()));
        } else {
            fail(id, result.cause());
        }
    }

    private void fail(Object id, Throwable cause) {
        if (cause instanceof ServedElsewhere elsewhere) {
            placement.redirected();
            settings.metrics().error(ErrorCode.WRONG_NODE.wireName());
            send(ServerMessages.error(id, ErrorCode.WRONG_NODE.wireName(),
                    "this room is served by another node: connect there").put("url", elsewhere.socketUrl()));
            return;
        }
        if (cause instanceof RoomPlacement.PlacementUnavailable unavailable) {
            sendError(id, "unavailable", unavailable.getMessage());
            return;
        }
        if (cause instanceof ConferenceException refused) {
            String message = refused.getMessage();
            sendError(id, ErrorCode.wireName(refused.code()), message == null ? "refused" : message);
        } else if (cause instanceof NotJoined) {
            sendError(id, ErrorCode.OUT_OF_ORDER.wireName(), "not joined");
        } else {
            LOG.error("conference engine fault", cause);
            sendError(id, ErrorCode.INTERNAL.wireName(), "internal server error");
        }
    }

    /** Replies only to requests with an id. */
    private void reply(Object id, JsonObject message) {
        if (id != null) {
            send(message);
        }
    }

    private void sendError(Object id, String code, String message) {
        settings.metrics().error(code);
        send(ServerMessages.error(id, code, message));
    }

    private void send(JsonObject message) {
        if (socket.isClosed()) {
            return;
        }
        socket.writeTextMessage(message.encode());
        settings.metrics().messageSent();
    }

    /** What a successful join or resume produced. */
    private record JoinOutcome(JsonObject joined, ConferenceConnection previous) {
    }

    /** One call on the participant, made on a worker. */
    @FunctionalInterface
    private interface EngineCall<T> {
        T apply(Participant participant) throws ConferenceException;
    }

    /** The room is served by the cluster node at this HTTP base URL. */
    private static final class ServedElsewhere extends Exception {
        private final String baseUrl;

        ServedElsewhere(String baseUrl) {
            super("served elsewhere", null, false, false);
            this.baseUrl = baseUrl;
        }

        /** The node's conferencing WebSocket: {@code ws(s)://…/ws}. */
        String socketUrl() {
            String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            if (base.startsWith("https://")) {
                base = "wss://" + base.substring("https://".length());
            } else if (base.startsWith("http://")) {
                base = "ws://" + base.substring("http://".length());
            }
            return base + ConferenceSocketRoute.PATH;
        }
    }

    /** A request reached the engine queue but the join before it failed, or the participant has left. */
    private static final class NotJoined extends RuntimeException {
        NotJoined() {
            super("not joined", null, false, false);
        }
    }
}
