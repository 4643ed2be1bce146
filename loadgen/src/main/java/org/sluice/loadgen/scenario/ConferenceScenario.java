package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.PeerNetwork;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Conference M × M over {@code /ws}: M participants join one room one after another, each publishing
 * VP8 (and Opus) and receiving everyone else's tracks (auto-subscribe), then the shared
 * {@link Measurement} phases run. Each participant's setup is join to SRTP installed.
 */
public final class ConferenceScenario {

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

    public ConferenceScenario(int participants, MediaSettings media, Duration warmup, Duration duration,
                              Duration drain, Duration connectTimeout, String room, PeerNetwork network, URI origin,
                              String token, ServerView server, PrintStream progress) {
        if (participants < 2 || participants > 1000) {
            throw new IllegalArgumentException("2..1000 participants");
        }
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
    }

    public RunResult run(long serverPid) throws Exception {
        List<ConferenceParticipant> joined = new ArrayList<>();
        List<SetupTiming> setupTimes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            long setupStart = System.nanoTime();
            for (int i = 0; i < participants; i++) {
                try {
                    ConferenceParticipant p = ConferenceParticipant.join(network, i, media, http, origin, token, room,
                            connectTimeout.toMillis());
                    joined.add(p);
                    setupTimes.add(p.setupTiming());
                } catch (Exception e) {
                    errors.add(String.valueOf(e.getMessage()));
                }
            }
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            progress.printf("%d/%d participants joined in %.1f s%s%n", joined.size(), participants, setupSeconds,
                    errors.isEmpty() ? "" : "; first error: " + errors.get(0));
            if (joined.isEmpty()) {
                throw new IllegalStateException("nobody joined: " + errors.get(0));
            }
            RunResult result = new Measurement(network, server, progress).measure(
                    new RunResult.Scenario("conference", 1, participants, media, warmup.toMillis() / 1000.0,
                            duration.toMillis() / 1000.0),
                    warmup, duration, drain, joined, joined, serverPid,
                    Measurement.setup(setupTimes, errors, setupSeconds));
            for (ConferenceParticipant p : joined) {
                for (String error : p.errors()) {
                    progress.println("server error to a participant: " + error);
                }
            }
            return result;
        } finally {
            progress.printf("leaving: %d participants%n", joined.size());
            joined.forEach(ConferenceParticipant::close);
        }
    }
}
