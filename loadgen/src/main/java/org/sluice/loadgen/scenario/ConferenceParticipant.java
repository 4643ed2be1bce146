package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import org.sluice.loadgen.check.ViewerChecks;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.ConferenceSocket;
import org.sluice.loadgen.peer.Json;
import org.sluice.loadgen.peer.MediaHandler;
import org.sluice.loadgen.peer.OfferSdp;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.peer.ServerAnswer;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A conference participant over the {@code /ws} protocol (docs/protocol.md): joins, offers one Opus and
 * one VP8 sending section plus as many receive-only sections as the server's {@code renegotiate} asks
 * for, connects its one transport on the first answer, then sends through a {@link MediaSender} and
 * checks everything it receives with {@link ViewerChecks}. Offers never overlap: a {@code renegotiate}
 * during an offer in flight is answered by a new offer once the answer came.
 */
public final class ConferenceParticipant implements MediaHandler, AutoCloseable, Measurement.Sending,
        Measurement.Receiving {

    private final ClientPeer peer;
    private final MediaSender media;
    private final ViewerChecks checks;
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final List<String> errors = new ArrayList<>();
    private final long timeoutMillis;
    private ConferenceSocket socket;
    private boolean offerInFlight;
    private boolean offerAgain;
    private boolean transportStarted;
    private final List<String> receiveKinds = new ArrayList<>();
    private int offers;
    private long startNanos;
    private volatile long joinedNanos;
    private volatile SetupTiming setupTiming;

    private ConferenceParticipant(PeerNetwork network, int index, MediaSettings settings, long timeoutMillis,
                                  PartStats part) throws InterruptedException {
        this.peer = ClientPeer.open(network, this);
        this.media = new MediaSender(peer, index, settings);
        this.checks = new ViewerChecks(peer.loopStats(), PartStats.on(part, peer.eventLoop()),
                OfferSdp.VP8_PAYLOAD_TYPE);
        this.timeoutMillis = timeoutMillis;
    }

    /** Joins {@code room}, publishes, connects and starts sending; fails after {@code timeoutMillis}. */
    public static ConferenceParticipant join(PeerNetwork network, int index, MediaSettings settings, HttpClient http,
                                             URI origin, String token, String room, long timeoutMillis)
            throws Exception {
        return join(network, index, settings, http, origin, token, room, timeoutMillis, null);
    }

    /** As above, also counting what it receives in {@code part} (null: a run of one part). */
    static ConferenceParticipant join(PeerNetwork network, int index, MediaSettings settings, HttpClient http,
                                      URI origin, String token, String room, long timeoutMillis, PartStats part)
            throws Exception {
        ConferenceParticipant p = new ConferenceParticipant(network, index, settings, timeoutMillis, part);
        try {
            p.startNanos = System.nanoTime();
            p.socket = ConferenceSocket.connect(http, origin, token, p::onMessage);
            p.socket.send("{\"type\":\"join\",\"id\":\"join\",\"room\":" + Json.quote(room)
                    + ",\"name\":\"loadgen-" + index + "\"}");
            p.joined.get(timeoutMillis, TimeUnit.MILLISECONDS);
            p.connected.get(timeoutMillis, TimeUnit.MILLISECONDS);
            p.setupTiming = new SetupTiming(p.joinedNanos, p.peer.iceNanos(), p.peer.dtlsNanos(),
                    System.nanoTime() - p.startNanos);
            p.media.start();
            return p;
        } catch (Exception e) {
            p.close();
            throw e;
        }
    }

    /** Join to SRTP installed; the signalling part is join to {@code joined}. */
    public SetupTiming setupTiming() {
        return setupTiming;
    }

    private synchronized void onMessage(Map<String, Object> message) {
        Object type = message.get("type");
        if ("joined".equals(type)) {
            joinedNanos = System.nanoTime() - startNanos;
            joined.complete(null);
            offer();
        } else if ("answer".equals(type)) {
            onAnswer(message);
        } else if ("renegotiate".equals(type)) {
            addSections("audio", count(message.get("audio")));
            addSections("video", count(message.get("video")));
            if (offerInFlight) {
                offerAgain = true;
            } else {
                offer();
            }
        } else if ("error".equals(type)) {
            String error = message.get("code") + ": " + message.get("message");
            if (errors.size() < 16) {
                errors.add(error);
            }
            if ("join".equals(message.get("id"))) {
                joined.completeExceptionally(new IllegalStateException(error));
            } else if (offerInFlight && String.valueOf(message.get("id")).startsWith("offer")) {
                offerInFlight = false;
                connected.completeExceptionally(new IllegalStateException(error));
            }
        } else if ("removed".equals(type)) {
            connected.completeExceptionally(new IllegalStateException("removed: " + message.get("reason")));
        }
    }

    private void onAnswer(Map<String, Object> message) {
        offerInFlight = false;
        Object sdp = message.get("sdp");
        if (!transportStarted && sdp instanceof String text) {
            transportStarted = true;
            try {
                peer.connect(ServerAnswer.parse(text), timeoutMillis).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        connected.completeExceptionally(failure);
                    } else {
                        connected.complete(null);
                    }
                });
            } catch (IllegalArgumentException e) {
                connected.completeExceptionally(e);
            }
        }
        socket.send("{\"type\":\"answered\"}"); // the server forwards what the answer mapped from now on
        if (offerAgain) {
            offerAgain = false;
            offer();
        }
    }

    private void offer() {
        offerInFlight = true;
        offers++;
        String sdp = OfferSdp.conference(peer, media.audioSsrc(), media.videoSsrc(), receiveKinds);
        String publish = media.audioSsrc() == 0 ? "[{\"mid\":\"1\",\"source\":\"camera\"}]"
                : "[{\"mid\":\"0\",\"source\":\"microphone\"},{\"mid\":\"1\",\"source\":\"camera\"}]";
        socket.send("{\"type\":\"offer\",\"id\":\"offer-" + offers + "\",\"sdp\":" + Json.quote(sdp)
                + ",\"publish\":" + publish + "}");
    }

    /** Appends receive sections of {@code kind} until there are {@code wanted}; existing ones keep their mids. */
    private void addSections(String kind, int wanted) {
        int have = 0;
        for (String k : receiveKinds) {
            if (k.equals(kind)) {
                have++;
            }
        }
        for (; have < wanted; have++) {
            receiveKinds.add(kind);
        }
    }

    private static int count(Object value) {
        return value instanceof Double d && d >= 0 && d <= 1000 ? d.intValue() : 0;
    }

    /** Protocol errors the server sent this participant (at most 16 kept). */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    public int localPort() {
        return peer.localAddress().getPort();
    }

    public int serverPort() {
        return peer.serverAddress().getPort();
    }

    @Override
    public void onRtp(ByteBuf packet, long nowNanos) {
        checks.onRtp(packet, nowNanos);
    }

    @Override
    public void onRtcp(ByteBuf compound) {
        media.onRtcp(compound);
    }

    public void stopMedia() throws InterruptedException, ExecutionException, TimeoutException {
        media.stop();
    }

    public Publisher.SentCounts sent() throws InterruptedException, ExecutionException, TimeoutException {
        return media.sent();
    }

    /** This participant's received streams, taken on its loop. */
    public Viewer.Tally tally() throws InterruptedException, ExecutionException, TimeoutException {
        return peer.eventLoop().submit(() -> new Viewer.Tally(new ArrayList<>(checks.streams()), checks.failures()))
                .get(5, TimeUnit.SECONDS);
    }

    /** Leaves (closes the WebSocket) and closes the peer. */
    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
        peer.close();
    }
}
