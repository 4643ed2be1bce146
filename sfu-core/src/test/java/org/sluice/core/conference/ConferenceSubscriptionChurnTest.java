package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.SimulatedParticipant;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.assertReceived;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.sendBurst;
import static org.sluice.core.conference.ConferenceTestSupport.settle;

/**
 * Subscription churn over one transport: every subscription draws new SSRCs, so a subscriber that comes and goes
 * hundreds of times sends the server's outbound SRTP session through far more SSRCs than its stream limit. The
 * engine runs with a small limit (16) so that not retiring ended streams would show within a few rounds.
 */
class ConferenceSubscriptionChurnTest {

    private static final int SRTP_MAX_STREAMS = 16;
    private static final int ROUNDS = 500;

    private SfuEngine engine;
    private SimulatedParticipant publisher;
    private SimulatedParticipant subscriber;

    @BeforeEach
    void openRoom() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2).withSrtpMaxStreams(SRTP_MAX_STREAMS),
                Clock.systemUTC(), new AdjustableNanoClock(), new ManualScheduler(), null);
        publisher = SimulatedParticipant.join(engine.conferences(), "room", "pub");
        publisher.negotiate(CONNECT);
        subscriber = SimulatedParticipant.join(engine.conferences(),
                new JoinRequest("room", "sub", null, true, false, true), false);
        settle(List.of(publisher, subscriber));
        awaitConnected(engine, "room", 2);
    }

    @AfterEach
    void closeRoom() {
        subscriber.close();
        publisher.close();
        engine.close();
    }

    @Test
    void aParticipantWhoSubscribesAndUnsubscribes500TimesStillReceivesEveryTrack() throws Exception {
        String audio = publisher.publishedTrack("0");
        String video = publisher.publishedTrack("1");
        List<SimulatedParticipant> both = List.of(publisher, subscriber);
        Set<Long> ssrcs = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            subscriber.participant().unsubscribe(List.of(audio, video));
            settle(both);
            subscriber.participant().subscribe(List.of(audio, video));
            settle(both);
            ssrcs.add(subscriber.ssrcOf(audio));
            ssrcs.add(subscriber.ssrcOf(video));
            subscriber.peer().drainRtp();
            ConferenceTestSupport.Burst burst = sendBurst(publisher, 1);
            List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 2, RECEIVE);
            assertThat(got).as("round %d: a key frame and an audio packet", round).hasSize(2);
            assertReceived(got, subscriber, audio, burst.audio());
            assertReceived(got, subscriber, video, burst.video());
        }
        assertThat(ssrcs).as("every subscription drew its own SSRCs").hasSizeGreaterThan(2 * ROUNDS - 10);
        assertThat(subscriber.peer().undecryptable()).isZero();
        Thread.sleep(Duration.ofMillis(1500).toMillis()); // the transports count stream-limit refusals once a second
        assertThat(engine.transportCounters().srtpStreamLimit.sum()).isZero();
    }
}
