package org.sluice.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.report.ReportJson;
import org.sluice.loadgen.report.ReportTable;
import org.sluice.loadgen.scenario.BroadcastSettings;
import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.RunResult;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mixed scenario against the real server in-process on loopback: two broadcast rooms (one WHIP publisher and
 * three WHEP viewers each) and two conference rooms (three participants each over {@code /ws}) at once, through one
 * measurement window. Nothing may be lost on loopback, every packet must pass its checks, and each part must have
 * received validated packets of its own senders (a stream of the other part would fail the checks).
 */
class MixedCorrectnessTest {

    private static final int BROADCAST_ROOMS = 2;
    private static final int VIEWERS = 3;
    private static final int CONFERENCE_ROOMS = 2;
    private static final int PARTICIPANTS = 3;
    private static final int WINDOW_SECONDS = 8;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void broadcastViewersAndConferenceParticipantsReceiveEverythingValidated() throws Exception {
        MediaSettings media = new MediaSettings(300_000, 30, 2000, 32_000, 1100);
        BroadcastSettings settings = new BroadcastSettings(BROADCAST_ROOMS, VIEWERS, media, Duration.ofSeconds(3),
                Duration.ofSeconds(WINDOW_SECONDS), Duration.ofSeconds(1), 4, Duration.ofSeconds(20), "ci-mixed-");
        RunResult result;
        int sessionsAfter;
        try (InProcessServer server = InProcessServer.start(1)) {
            result = LoadGeneratorMain.mixed(settings, CONFERENCE_ROOMS, PARTICIPANTS, server.origin(),
                    Optional.empty(), -1, new PeerNetwork.Options(1, 4), System.out);
            sessionsAfter = server.sessionCount();
        }
        System.out.print(ReportTable.of(result));

        assertThat(result.scenario().name()).isEqualTo("mixed");
        assertThat(result.setup().failed()).as("sessions that failed to connect").isZero();
        assertThat(result.setup().connected())
                .isEqualTo(BROADCAST_ROOMS * (1 + VIEWERS) + CONFERENCE_ROOMS * PARTICIPANTS);
        assertThat(result.parts()).extracting(RunResult.Part::name).containsExactly("broadcast", "conference");

        RunResult.Part broadcast = result.parts().get(0);
        RunResult.Part conference = result.parts().get(1);
        assertThat(broadcast.setup().connected()).isEqualTo(BROADCAST_ROOMS * (1 + VIEWERS));
        assertThat(conference.setup().connected()).isEqualTo(CONFERENCE_ROOMS * PARTICIPANTS);
        // per receiver at least the window's ~40 video (300 kbit/s) and 50 audio packets per second and stream
        assertPart(broadcast, (long) BROADCAST_ROOMS * VIEWERS * WINDOW_SECONDS * (40 + 50));
        long conferenceStreams = (long) CONFERENCE_ROOMS * PARTICIPANTS * (PARTICIPANTS - 1);
        assertPart(conference, conferenceStreams * WINDOW_SECONDS * (40 + 50));

        RunResult.Media total = result.media();
        assertThat(total.undecryptable()).as("packets failing SRTP").isZero();
        assertThat(total.lost()).isZero();
        assertThat(total.received()).isEqualTo(broadcast.media().received() + conference.media().received());
        assertThat(result.latency().samples()).as("every packet of the window counted in exactly one part")
                .isEqualTo(broadcast.latency().samples() + conference.latency().samples());
        assertThat(result.server().forwardedPerSecond()).as("the server's forwarded-packets meter moved").isPositive();
        assertThat(sessionsAfter).as("WHIP/WHEP sessions left on the server").isZero();

        String json = ReportJson.of(result, "test");
        assertThat(json).contains("\"parts\"", "\"broadcast\"", "\"conference\"", "\"receivedPerSecond\"");
    }

    private static void assertPart(RunResult.Part part, long receivedFloor) {
        RunResult.Media m = part.media();
        assertThat(m.lost()).as(part.name() + ": packets lost on loopback").isZero();
        assertThat(m.received()).as(part.name() + ": received = expected").isEqualTo(m.expected());
        assertThat(m.received()).as(part.name() + ": validated packets").isGreaterThan(receivedFloor);
        assertThat(m.checkFailures()).as(part.name() + ": failed stamp/RTP checks or another part's streams")
                .isZero();
        assertThat(m.late()).as(part.name() + ": late").isZero();
        assertThat(m.originMismatches()).as(part.name() + ": origin mismatches").isZero();
        assertThat(m.streamSwitches()).as(part.name() + ": stream switches").isZero();
        assertThat(m.viewersWithoutVideo()).as(part.name() + ": receivers without video").isZero();
        assertThat(part.latency().samples()).as(part.name() + ": latency samples in the window").isPositive();
        assertThat(part.receivedPerSecond()).as(part.name() + ": validated packets/s in the window").isPositive();
    }
}
