package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.SimulatedParticipant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.QUIET;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.assertReceived;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.sendBurst;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.conference.ConferenceTestSupport.startEngine;
import static org.sluice.core.testing.Waits.await;

/** Participants over real ICE/DTLS/SRTP on loopback: everyone receives everyone else, joins and leaves. */
class ConferenceForwardingTest {

    private SfuEngine engine;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<SimulatedParticipant> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = startEngine(scheduler);
    }

    @AfterEach
    void stop() {
        opened.forEach(SimulatedParticipant::close);
        engine.close();
    }

    private SimulatedParticipant join(String name) throws Exception {
        SimulatedParticipant p = SimulatedParticipant.join(engine.conferences(), "room", name);
        opened.add(p);
        return p;
    }

    @Test
    void threeParticipantsReceiveEachOtherThenOneLeavesAndALateFourthReceivesEveryone() throws Exception {
        SimulatedParticipant a = join("a");
        a.negotiate(CONNECT);
        SimulatedParticipant b = join("b");
        b.negotiate(CONNECT);
        SimulatedParticipant c = join("c");
        c.negotiate(CONNECT);
        List<SimulatedParticipant> all = List.of(a, b, c);
        settle(all);
        awaitConnected(engine, "room", 3);
        for (SimulatedParticipant p : all) {
            assertThat(p.incoming()).as("%s receives the others' audio and video", p.peer().name()).hasSize(4);
        }

        assertEveryoneReceivesEveryone(all);

        a.participant().leave();
        for (SimulatedParticipant p : List.of(b, c)) {
            assertThat(p.awaitEvent(ConferenceEvent.ParticipantLeft.class, e -> e.participantId().equals(a.id()),
                    RECEIVE)).isNotNull();
        }
        settle(List.of(b, c));
        for (SimulatedParticipant p : List.of(b, c)) {
            assertThat(p.incoming().values()).as("nothing of a is received any more")
                    .noneMatch(in -> in.participantId().equals(a.id()));
        }

        SimulatedParticipant d = join("d");
        d.negotiate(CONNECT);
        List<SimulatedParticipant> now = List.of(b, c, d);
        settle(now);
        awaitConnected(engine, "room", 3);
        assertThat(d.incoming()).hasSize(4);
        assertEveryoneReceivesEveryone(now);

        for (SimulatedParticipant p : now) {
            p.participant().leave();
        }
        await("every transport closed", CONNECT, () -> engine.openTransports() == 0);
        assertThat(engine.participantCount()).isZero();
        assertThat(engine.conferences().participants("room")).isEmpty();
        assertThat(engine.conferences().trackCount()).isZero();
    }

    @Test
    void tracksNewInAnAnswerAreForwardedOnlyOnceTheSubscriberSaysItAppliedIt() throws Exception {
        SimulatedParticipant pub = join("pub");
        SimulatedParticipant sub = subscriberThatDoesNotConfirmAnswers(pub);
        assertThat(sub.incoming()).as("the answer maps pub's audio and video").hasSize(2);

        sendBurst(pub, 5);
        assertThat(sub.peer().awaitRtp(x -> true, 1, QUIET)).as("nothing before the answer is applied").isEmpty();
        ParticipantSession held = (ParticipantSession) sub.participant();
        synchronized (held.conferenceRoom()) {
            assertThat(held.subscriptions().values())
                    .as("held streams are paused, so the receiver's allocator neither counts nor caps them")
                    .allSatisfy(s -> assertThat(s.stream().isPaused()).isTrue());
        }

        sub.participant().answerApplied();
        assertForwarded(pub, sub);
    }

    @Test
    void aSubscriberThatNeverSaysItAppliedTheAnswerGetsTheTracksAfterTheHold() throws Exception {
        SimulatedParticipant pub = join("pub");
        SimulatedParticipant sub = subscriberThatDoesNotConfirmAnswers(pub);

        sendBurst(pub, 5);
        assertThat(sub.peer().awaitRtp(x -> true, 1, QUIET)).as("held").isEmpty();
        scheduler.advance(ParticipantSession.ANSWER_HOLD.minusMillis(1));
        sendBurst(pub, 5);
        assertThat(sub.peer().awaitRtp(x -> true, 1, QUIET)).as("still held just before the hold ends").isEmpty();

        scheduler.advance(Duration.ofMillis(1));
        assertForwarded(pub, sub);
    }

    /** {@code pub} connected, then a subscriber that never sends {@code answered}, connected and offered pub's tracks. */
    private SimulatedParticipant subscriberThatDoesNotConfirmAnswers(SimulatedParticipant pub) throws Exception {
        pub.negotiate(CONNECT);
        SimulatedParticipant sub = join("sub");
        sub.withoutAnswerConfirmation();
        sub.negotiate(CONNECT);
        settle(List.of(pub, sub));
        awaitConnected(engine, "room", 2);
        return sub;
    }

    /** A burst from {@code pub} reaches {@code sub} whole: every audio and video packet, in order. */
    private static void assertForwarded(SimulatedParticipant pub, SimulatedParticipant sub) throws Exception {
        sub.peer().drainRtp();
        ConferenceTestSupport.Burst burst = sendBurst(pub, 5);
        List<ReceivedRtp> got = sub.peer().awaitRtp(x -> true, 10, RECEIVE);
        assertReceived(got, sub, pub.publishedTrack("0"), burst.audio());
        assertReceived(got, sub, pub.publishedTrack("1"), burst.video());
    }

    private void assertEveryoneReceivesEveryone(List<SimulatedParticipant> all) throws Exception {
        for (SimulatedParticipant p : all) {
            p.peer().drainRtp();
        }
        Map<SimulatedParticipant, ConferenceTestSupport.Burst> sent = new HashMap<>();
        for (SimulatedParticipant p : all) {
            sent.put(p, sendBurst(p, 10));
        }
        int expected = (all.size() - 1) * 20;
        for (SimulatedParticipant receiver : all) {
            List<ReceivedRtp> got = receiver.peer().awaitRtp(x -> true, expected, RECEIVE);
            assertThat(got).as("%s got every packet", receiver.peer().name()).hasSize(expected);
            for (SimulatedParticipant sender : all) {
                if (sender == receiver) {
                    continue;
                }
                assertReceived(got, receiver, sender.publishedTrack("0"), sent.get(sender).audio());
                assertReceived(got, receiver, sender.publishedTrack("1"), sent.get(sender).video());
            }
            assertThat(receiver.peer().undecryptable()).isZero();
        }
        for (SimulatedParticipant p : all) {
            assertThat(p.peer().awaitRtp(x -> true, 1, QUIET)).as("nothing more").isEmpty();
        }
    }
}
