package org.sluice.core.conference;

import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedParticipant;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.testing.Waits.await;

/** Bounded waits and multi-participant choreography shared by the conference tests. */
final class ConferenceTestSupport {

    static final Duration CONNECT = Duration.ofSeconds(5);
    static final Duration RECEIVE = Duration.ofSeconds(2);
    static final Duration QUIET = Duration.ofMillis(300);

    private ConferenceTestSupport() {
    }

    /** A loopback engine with two media loops, wall-clock time and {@code scheduler} for its timers. */
    static SfuEngine startEngine(ManualScheduler scheduler) throws IOException, InterruptedException {
        return SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(),
                new AdjustableNanoClock(), scheduler, null);
    }

    /** Lets every participant answer renegotiation requests until nobody is asked any more. */
    static void settle(List<SimulatedParticipant> participants) throws Exception {
        for (int round = 0; round < 10; round++) {
            boolean any = false;
            for (SimulatedParticipant p : participants) {
                any |= p.renegotiateIfAsked(CONNECT);
            }
            if (!any) {
                return;
            }
        }
        throw new AssertionError("renegotiation did not settle");
    }

    /** Waits until the engine reports every participant of {@code room} connected. */
    static void awaitConnected(SfuEngine engine, String room, int count) throws InterruptedException {
        await(count + " participants connected", CONNECT, () -> {
            try {
                List<ParticipantStats> stats = engine.conferences().participants(room);
                return stats.size() == count && stats.stream().allMatch(s -> s.state().equals("connected"));
            } catch (ConferenceException e) {
                return false;
            }
        });
    }

    /** What a participant sent in one burst: its audio and video packets. */
    record Burst(List<RtpTrack.Sent> audio, List<RtpTrack.Sent> video) {
    }

    /** A key frame, then delta frames and audio packets; {@code n} of each. */
    static Burst sendBurst(SimulatedParticipant p, int n) {
        List<RtpTrack.Sent> audio = new ArrayList<>();
        List<RtpTrack.Sent> video = new ArrayList<>();
        video.add(p.sendKeyFrame((byte) 1));
        audio.add(p.sendAudio((byte) 1));
        for (int i = 2; i <= n; i++) {
            video.add(p.sendDeltaFrame((byte) i));
            audio.add(p.sendAudio((byte) i));
        }
        return new Burst(audio, video);
    }

    static List<byte[]> payloads(List<RtpTrack.Sent> sent) {
        return sent.stream().map(RtpTrack.Sent::payload).toList();
    }

    /** Asserts {@code received} holds, on the SSRC {@code receiver} was answered for the track, exactly what was sent. */
    static void assertReceived(List<ReceivedRtp> received, SimulatedParticipant receiver, String trackId,
                               List<RtpTrack.Sent> sent) {
        long ssrc = receiver.ssrcOf(trackId);
        assertThat(ssrc).as("%s receives track %s", receiver.peer().name(), trackId).isPositive();
        List<byte[]> got = received.stream().filter(p -> p.ssrc() == ssrc).map(ReceivedRtp::payload).toList();
        assertThat(got).as("%s: payloads of track %s", receiver.peer().name(), trackId)
                .containsExactlyElementsOf(payloads(sent));
    }
}
