package org.sluice.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.report.ReportTable;
import org.sluice.loadgen.scenario.BroadcastSettings;
import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.RunResult;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small conference over the real {@code /ws} protocol and server in-process: three participants each
 * publish VP8 and Opus and receive the other two; nothing may be lost on loopback and every packet must
 * pass its checks.
 */
class ConferenceCorrectnessTest {

    private static final int PARTICIPANTS = 3;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyParticipantReceivesEveryOtherTrackWithoutLoss() throws Exception {
        MediaSettings media = new MediaSettings(300_000, 30, 2000, 32_000, 1100);
        BroadcastSettings timing = new BroadcastSettings(1, 1, media, Duration.ofSeconds(3), Duration.ofSeconds(8),
                Duration.ofSeconds(1), 1, Duration.ofSeconds(20), "ci-");
        RunResult result;
        try (InProcessServer server = InProcessServer.start(1)) {
            result = LoadGeneratorMain.conference(PARTICIPANTS, timing, server.origin(), Optional.empty(), -1,
                    new PeerNetwork.Options(1, 4), System.out);
        }
        System.out.print(ReportTable.of(result));

        assertThat(result.setup().connected()).isEqualTo(PARTICIPANTS);
        RunResult.Media m = result.media();
        assertThat(m.viewersWithoutVideo()).isZero();
        assertThat(m.checkFailures()).isZero();
        assertThat(m.undecryptable()).isZero();
        assertThat(m.originMismatches()).isZero();
        assertThat(m.streamSwitches()).isZero();
        assertThat(m.lost()).as("packets lost on loopback").isZero();
        // each participant receives 2 video and 2 audio streams for at least the 8 s window
        long floor = (long) PARTICIPANTS * 2 * 8 * (30 + 50);
        assertThat(m.received()).isGreaterThan(floor);
    }
}
