package org.sluice.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.scenario.BroadcastSettings;
import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.RunResult;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator as a correctness test: the real server in-process on loopback, one WHIP publisher
 * of VP8 and Opus and a few WHEP viewers with real ICE, DTLS and SRTP for about 20 seconds. On loopback
 * nothing may be lost and every packet must pass its checks; timings are reported, not asserted.
 */
class BroadcastCorrectnessTest {

    private static final int VIEWERS = 4;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyPacketArrivesValidatedWithoutLoss() throws Exception {
        MediaSettings media = new MediaSettings(500_000, 30, 2000, 32_000, 1100);
        BroadcastSettings settings = new BroadcastSettings(1, VIEWERS, media, Duration.ofSeconds(2),
                Duration.ofSeconds(15), Duration.ofSeconds(1), 4, Duration.ofSeconds(20), "ci-");
        RunResult result;
        long packetsSent;
        long messagesSent;
        try (InProcessServer server = InProcessServer.start(1)) {
            result = LoadGeneratorMain.run(settings, server.origin(), Optional.empty(), -1,
                    new PeerNetwork.Options(1, 2), System.out);
            packetsSent = server.packetsSent();
            messagesSent = server.udpMessagesSent();
        }
        System.out.print(org.sluice.loadgen.report.ReportTable.of(result));
        System.out.println("datagrams sent " + packetsSent + " in " + messagesSent + " messages of the loop's own");
        if (Runtime.version().feature() >= 22) {
            // The media loop sends itself, and a frame's packets to one viewer go as segmented messages: a key
            // frame (six packets here, the first shorter) saves at least one message per viewer, and there are 8+.
            assertThat(messagesSent).as("UDP messages for %d datagrams", packetsSent).isPositive()
                    .isLessThanOrEqualTo(packetsSent - 8L * VIEWERS);
        } else {
            assertThat(messagesSent).as("sends go through Netty on Java 17-21").isZero();
        }

        assertThat(result.generator().udpGro()).as("the viewers read segmented runs whole (UDP_GRO)").isTrue();
        assertThat(result.setup().failed()).as("sessions that failed to connect").isZero();
        assertThat(result.setup().connected()).isEqualTo(VIEWERS + 1);
        RunResult.Media m = result.media();
        assertThat(m.viewersWithoutVideo()).isZero();
        assertThat(m.checkFailures()).as("packets failing the RTP or payload-stamp check").isZero();
        assertThat(m.undecryptable()).as("packets failing SRTP").isZero();
        assertThat(m.originMismatches()).as("viewer sequence and publisher sequence out of step").isZero();
        assertThat(m.streamSwitches()).isZero();
        assertThat(m.late()).isZero();
        assertThat(m.lost()).as("packets lost on loopback").isZero();
        assertThat(m.received()).isEqualTo(m.expected());
        // 15 s of ~60 video + 50 audio packets per second reach each viewer, from ~5 s before the window on
        long perViewerFloor = 15 * (50 + 50);
        assertThat(m.received()).isGreaterThan(VIEWERS * perViewerFloor);
        assertThat(m.keyFrames()).as("a key frame at least every 2 s").isGreaterThanOrEqualTo(8);
        assertThat(result.latency().samples()).isPositive();
        // the key frames' packets (6 of ~60 a key-frame interval) are told from the others after the server's
        // rewriting of the VP8 descriptor
        RunResult.Latency latency = result.latency();
        assertThat(latency.keyFramePackets().samples()).as("key-frame packets in the window").isPositive()
                .isLessThan(latency.otherPackets().samples() / 5);
        assertThat(latency.keyFramePackets().samples() + latency.otherPackets().samples())
                .isEqualTo(latency.samples());
        assertThat(result.server().forwardedPerSecond()).as("the server's forwarded-packets meter moved").isPositive();
    }

    /**
     * Churn: two viewers a second leave (DELETE) and are replaced while the media flows, about twenty times in the
     * run. Every replacement connects; the viewers that stayed, the ones that left (up to their last packet) and
     * the new ones lose nothing and pass every check; the server ends with no session left and no buffer leaked
     * (the leak guard fails the class otherwise).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void viewersReplacedWhileTheMediaFlowsLoseNothing() throws Exception {
        MediaSettings media = new MediaSettings(500_000, 30, 2000, 32_000, 1100);
        BroadcastSettings settings = new BroadcastSettings(1, VIEWERS, media, Duration.ofSeconds(2),
                Duration.ofSeconds(8), Duration.ofSeconds(1), 4, Duration.ofSeconds(20), "ci-churn-", 2);
        RunResult result;
        int sessionsAfter;
        try (InProcessServer server = InProcessServer.start(1)) {
            result = LoadGeneratorMain.run(settings, server.origin(), Optional.empty(), -1,
                    new PeerNetwork.Options(1, 2), System.out);
            sessionsAfter = server.sessionCount();
        }
        System.out.print(org.sluice.loadgen.report.ReportTable.of(result));

        RunResult.Churn churn = result.churn();
        assertThat(churn.left()).as("viewers that left").isGreaterThanOrEqualTo(12);
        assertThat(churn.joined()).as("replacements that connected").isEqualTo(churn.left());
        assertThat(churn.failedJoins()).as("replacements that failed or were skipped").isZero();
        RunResult.Media m = result.media();
        assertThat(m.checkFailures()).isZero();
        assertThat(m.undecryptable()).isZero();
        assertThat(m.originMismatches()).isZero();
        assertThat(m.late()).isZero();
        assertThat(m.viewersWithoutVideo()).as("viewers present at the end without video").isZero();
        assertThat(m.lost()).as("packets lost on loopback, churned viewers included").isZero();
        assertThat(m.received()).isEqualTo(m.expected()).isPositive();
        assertThat(sessionsAfter).as("sessions left on the server after everyone left").isZero();
    }
}
