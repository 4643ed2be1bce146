package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.PeerNetwork;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Conference M × M over {@code /ws}: in each room M participants join one after another, each publishing
 * VP8 (and Opus) and receiving everyone else's tracks in the room (auto-subscribe), then the shared
 * {@link Measurement} phases run. Each participant's setup is join to SRTP installed. {@link #connect()},
 * {@link #group()} and {@link #close()} are the steps a run of several parts (mixed) takes with the others' in
 * between.
 */
public final class ConferenceScenario implements AutoCloseable {

    private final int rooms;
    private final int participants;
    private final MediaSettings media;
    private final Duration warmup;
    private final Duration duration;
    private final Duration drain;
    private final Duration connectTimeout;
    private final String room;
    private final PeerNetwork network;
    private final URI origin;
    private final String token;
    private final ServerView server;
    private final PrintStream progress;
    private final int firstIndex;
    private final PartStats part;
    private final List<ConferenceParticipant> joined = new ArrayList<>();
    private final List<SetupTiming> setupTimes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private double setupSeconds;

    /** One room, {@code room}, of {@code participants}. */
    public ConferenceScenario(int participants, MediaSettings media, Duration warmup, Duration duration,
                              Duration drain, Duration connectTimeout, String room, PeerNetwork network, URI origin,
                              String token, ServerView server, PrintStream progress) {
        this(1, participants, media, warmup, duration, drain, connectTimeout, room, network, origin, token, server,
                progress);
    }

    /** {@code rooms} rooms of {@code participants} each: {@code room} when there is one, else {@code room-0}, ... */
    public ConferenceScenario(int rooms, int participants, MediaSettings media, Duration warmup, Duration duration,
                              Duration drain, Duration connectTimeout, String room, PeerNetwork network, URI origin,
                              String token, ServerView server, PrintStream progress) {
        this(rooms, participants, media, warmup, duration, drain, connectTimeout, room, network, origin, token, server,
                progress, 0, null);
    }

    /**
     * As above, with the participants' client indices (their stream ids) from {@code firstIndex} on; with
     * {@code part} not null they also count what they receive there (one part of a mixed run).
     */
    ConferenceScenario(int rooms, int participants, MediaSettings media, Duration warmup, Duration duration,
                       Duration drain, Duration connectTimeout, String room, PeerNetwork network, URI origin,
                       String token, ServerView server, PrintStream progress, int firstIndex, PartStats part) {
        if (participants < 2 || participants > 1000) {
            throw new IllegalArgumentException("2..1000 participants");
        }
        if (rooms < 1 || (long) rooms * participants > 20_000) {
            throw new IllegalArgumentException("at least one conference room, 20000 participants in total at most");
        }
        this.rooms = rooms;
        this.participants = participants;
        this.media = media;
        this.warmup = warmup;
        this.duration = duration;
        this.drain = drain;
        this.connectTimeout = connectTimeout;
        this.room = room;
        this.network = network;
        this.origin = origin;
        this.token = token;
        this.server = server;
        this.progress = progress;
        this.firstIndex = firstIndex;
        this.part = part;
    }

    public RunResult run(long serverPid) throws Exception {
        try {
            connect();
            RunResult result = new Measurement(network, server, progress).measure(
                    new RunResult.Scenario("conference", rooms, participants, media, warmup.toMillis() / 1000.0,
                            duration.toMillis() / 1000.0),
                    warmup, duration, drain, List.of(group()), serverPid);
            printServerErrors();
            return result;
        } finally {
            close();
        }
    }

    /** Joins the participants, room after room, one after another; fails when nobody joined. */
    void connect() {
        HttpClient http = HttpClient.newHttpClient();
        long setupStart = System.nanoTime();
        for (int r = 0; r < rooms; r++) {
            String name = rooms == 1 ? room : room + "-" + r;
            for (int i = 0; i < participants; i++) {
                try {
                    ConferenceParticipant p = ConferenceParticipant.join(network, firstIndex + r * participants + i,
                            media, http, origin, token, name, connectTimeout.toMillis(), part);
                    joined.add(p);
                    setupTimes.add(p.setupTiming());
                } catch (Exception e) {
                    errors.add(String.valueOf(e.getMessage()));
                }
            }
        }
        setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        progress.printf("%d/%d participants joined in %.1f s%s%n", joined.size(), rooms * participants, setupSeconds,
                errors.isEmpty() ? "" : "; first error: " + errors.get(0));
        if (joined.isEmpty()) {
            throw new IllegalStateException("nobody joined: " + errors.get(0));
        }
    }

    /** The joined participants, for the measurement. */
    Measurement.Group group() {
        return new Measurement.Group("conference", rooms, participants, joined, () -> joined, null, setupTimes,
                errors, setupSeconds, part);
    }

    /** Protocol errors the server sent the participants. */
    void printServerErrors() {
        for (ConferenceParticipant p : joined) {
            for (String error : p.errors()) {
                progress.println("server error to a participant: " + error);
            }
        }
    }

    /** Every participant leaves. */
    @Override
    public void close() {
        progress.printf("leaving: %d participants%n", joined.size());
        joined.forEach(ConferenceParticipant::close);
    }
}
