package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.assertContinuous;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.Waits.await;

/** End to end over loopback with simulated peers: a publisher's media reaches every viewer, decrypted and intact. */
class SfuEngineForwardingTest {

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), new AdjustableNanoClock());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void publisherReachesTwoViewersWithTheirSsrcsAndContinuousSequenceNumbers() throws Exception {
        try (SimulatedViewer early = SimulatedViewer.start(engine, "room", "early", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT);
             SimulatedViewer late = SimulatedViewer.start(engine, "room", "late", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 2);

            // Inter frames before any key frame are not forwarded: the viewers wait for a key frame.
            for (int i = 0; i < 3; i++) {
                publisher.sendDeltaFrame((byte) 0x70);
            }
            List<RtpTrack.Sent> video = new ArrayList<>();
            List<RtpTrack.Sent> audio = new ArrayList<>();
            video.add(publisher.sendKeyFrame((byte) 1));
            for (int i = 2; i <= 30; i++) {
                video.add(publisher.sendDeltaFrame((byte) i));
                audio.add(publisher.sendAudio((byte) i));
            }

            for (SimulatedViewer viewer : List.of(early, late)) {
                List<ReceivedRtp> got = viewer.peer().awaitRtp(p -> true, video.size() + audio.size(), RECEIVE);
                List<ReceivedRtp> gotVideo = got.stream().filter(p -> p.ssrc() == viewer.videoSsrc()).toList();
                List<ReceivedRtp> gotAudio = got.stream().filter(p -> p.ssrc() == viewer.audioSsrc()).toList();
                assertThat(got).as("only the SSRCs of %s's answer", viewer.peer().name())
                        .allMatch(p -> p.ssrc() == viewer.videoSsrc() || p.ssrc() == viewer.audioSsrc());
                assertThat(gotVideo).extracting(ReceivedRtp::payload)
                        .containsExactlyElementsOf(video.stream().map(RtpTrack.Sent::payload).toList());
                assertThat(gotAudio).extracting(ReceivedRtp::payload)
                        .containsExactlyElementsOf(audio.stream().map(RtpTrack.Sent::payload).toList());
                assertThat(gotVideo).allMatch(p -> p.payloadType() == viewer.answer().payloadType("video"));
                assertThat(gotAudio).allMatch(p -> p.payloadType() == viewer.answer().payloadType("audio"));
                assertContinuous(gotVideo);
                assertContinuous(gotAudio);
                for (int i = 1; i < gotVideo.size(); i++) {
                    assertThat((gotVideo.get(i).timestamp() - gotVideo.get(i - 1).timestamp()) & 0xFFFFFFFFL)
                            .isEqualTo(SimulatedPublisher.VIDEO_STEP);
                }
                assertThat(viewer.peer().undecryptable()).isZero();
            }
        }
    }

    @Test
    void aNewPublisherContinuesTheViewersSequenceLinesWithoutRenegotiation() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
            List<ReceivedRtp> video = new ArrayList<>();
            List<ReceivedRtp> audio = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub" + round, CONNECT)) {
                    awaitReceivers(engine, publisher.sessionId(), 1);
                    publisher.sendKeyFrame((byte) 1);
                    publisher.sendAudio((byte) 1);
                    for (int i = 2; i <= 10; i++) {
                        publisher.sendDeltaFrame((byte) i);
                        publisher.sendAudio((byte) i);
                    }
                    List<ReceivedRtp> got = viewer.peer().awaitRtp(p -> true, 20, RECEIVE);
                    assertThat(got).as("round %d", round).hasSize(20);
                    got.stream().filter(p -> p.ssrc() == viewer.videoSsrc()).forEach(video::add);
                    got.stream().filter(p -> p.ssrc() == viewer.audioSsrc()).forEach(audio::add);
                }
                await("publisher gone", CONNECT, () -> engine.sessionCount() == 1);
            }
            assertThat(video).hasSize(20);
            assertThat(audio).hasSize(20);
            assertContinuous(video);
            assertContinuous(audio);
            // The second publisher's timestamps continue forward from the first's.
            long step = (video.get(10).timestamp() - video.get(9).timestamp()) & 0xFFFFFFFFL;
            assertThat(step).isBetween(1L, 90_000L * 5);
        }
    }
}
