package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.PeerNetwork;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/**
 * Mixed: broadcast rooms (one WHIP publisher and N WHEP viewers each, a {@link BroadcastScenario}) and conference
 * rooms (M participants each over {@code /ws}, a {@link ConferenceScenario}) against one server at once. The
 * broadcast rooms connect first (their publishers send from then on), then the conference rooms; churn, if asked
 * for, replaces broadcast viewers from then on; one warm-up and one measurement window cover both. Each part's
 * receivers are tallied against their own part's senders (a conference stream reaching a broadcast viewer fails its
 * checks, and the other way round); the report gives the totals and each part's setup, loss, added latency and
 * received packets per second.
 */
public final class MixedScenario {

    private final BroadcastSettings settings;
    private final int conferenceRooms;
    private final int participants;
    private final PeerNetwork network;
    private final HttpSignaling signaling;
    private final URI origin;
    private final String token;
    private final ServerView server;
    private final PrintStream progress;

    /**
     * The broadcast part as {@code settings} say (its rooms, viewers, churn), the conference part of
     * {@code conferenceRooms} rooms of {@code participants}; both send the media of {@code settings}.
     */
    public MixedScenario(BroadcastSettings settings, int conferenceRooms, int participants, PeerNetwork network,
                         HttpSignaling signaling, URI origin, String token, ServerView server, PrintStream progress) {
        this.settings = settings;
        this.conferenceRooms = conferenceRooms;
        this.participants = participants;
        this.network = network;
        this.signaling = signaling;
        this.origin = origin;
        this.token = token;
        this.server = server;
        this.progress = progress;
    }

    public RunResult run(long serverPid) throws Exception {
        BroadcastScenario broadcast = new BroadcastScenario(settings, network, signaling, server, progress,
                new PartStats(network));
        // the participants' client indices (stream ids) follow the broadcast publishers'
        ConferenceScenario conference = new ConferenceScenario(conferenceRooms, participants, settings.media(),
                settings.warmup(), settings.duration(), settings.drain(), settings.connectTimeout(),
                settings.roomPrefix() + "conference", network, origin, token, server, progress, settings.rooms(),
                new PartStats(network));
        try {
            broadcast.connect();
            conference.connect();
            broadcast.startChurn();
            RunResult result = new Measurement(network, server, progress).measure(
                    new RunResult.Scenario("mixed", settings.rooms(), settings.viewersPerRoom(), settings.media(),
                            settings.warmup().toMillis() / 1000.0, settings.duration().toMillis() / 1000.0),
                    settings.warmup(), settings.duration(), settings.drain(),
                    List.of(broadcast.group(), conference.group()), serverPid);
            conference.printServerErrors();
            return result;
        } finally {
            try {
                conference.close();
            } finally {
                broadcast.close();
            }
        }
    }
}
