package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.SimulatedParticipant;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.conference.ConferenceTestSupport.startEngine;

/** Active speakers from the audio-level header extension of what participants publish. */
class ConferenceSpeakersTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private SfuEngine engine;
    private SimulatedParticipant loud;
    private SimulatedParticipant quiet;

    @BeforeEach
    void start() throws Exception {
        engine = startEngine(scheduler);
        loud = SimulatedParticipant.join(engine.conferences(), "room", "loud");
        loud.negotiate(CONNECT);
        quiet = SimulatedParticipant.join(engine.conferences(), "room", "quiet");
        quiet.negotiate(CONNECT);
        settle(List.of(loud, quiet));
        awaitConnected(engine, "room", 2);
    }

    @AfterEach
    void stop() {
        quiet.close();
        loud.close();
        engine.close();
    }

    @Test
    void theParticipantWhoSpeaksBecomesTheActiveSpeakerForEveryone() throws Exception {
        ConferenceEvent.ActiveSpeakers seen = null;
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (seen == null && System.nanoTime() < deadline) {
            for (int i = 0; i < 5; i++) {
                loud.sendAudio((byte) i, 20);
                quiet.sendAudio((byte) i, 127);
                Thread.sleep(20);
            }
            scheduler.advance(Duration.ofMillis(300));
            seen = quiet.awaitEvent(ConferenceEvent.ActiveSpeakers.class, e -> !e.speakers().isEmpty(),
                    Duration.ofMillis(1));
        }
        assertThat(seen).as("an ActiveSpeakers event").isNotNull();
        assertThat(seen.speakers()).extracting(Speaker::participantId).containsExactly(loud.id());
        assertThat(seen.speakers().get(0).level()).isGreaterThan(0.05);
        assertThat(loud.awaitEvent(ConferenceEvent.ActiveSpeakers.class, e -> !e.speakers().isEmpty(), RECEIVE))
                .isNotNull();

        // A muted track does not speak: the list empties.
        loud.participant().setMuted(loud.publishedTrack("0"), true);
        ConferenceEvent.ActiveSpeakers after = null;
        deadline = System.nanoTime() + RECEIVE.toNanos();
        while (after == null && System.nanoTime() < deadline) {
            loud.sendAudio((byte) 0, 20);
            scheduler.advance(Duration.ofMillis(300));
            after = quiet.awaitEvent(ConferenceEvent.ActiveSpeakers.class, e -> e.speakers().isEmpty(),
                    Duration.ofMillis(20));
        }
        assertThat(after).as("the speakers list emptied").isNotNull();
    }

    @Test
    void aParticipantWhoJoinsAfterTheSpeakerWasElectedRanksTheSpeakersVideoFirst() throws Exception {
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        ConferenceEvent.ActiveSpeakers seen = null;
        while (seen == null && System.nanoTime() < deadline) {
            for (int i = 0; i < 5; i++) {
                loud.sendAudio((byte) i, 20);
                Thread.sleep(20);
            }
            scheduler.advance(Duration.ofMillis(300));
            seen = quiet.awaitEvent(ConferenceEvent.ActiveSpeakers.class, e -> !e.speakers().isEmpty(),
                    Duration.ofMillis(1));
        }
        assertThat(seen).as("loud became the active speaker").isNotNull();

        // No further change of speakers follows: the late joiner's streams are ranked when they are created.
        SimulatedParticipant late = SimulatedParticipant.join(engine.conferences(), "room", "late");
        try {
            late.negotiate(CONNECT);
            settle(List.of(loud, quiet, late));
            ParticipantSession session = (ParticipantSession) late.participant();
            Subscription toLoudVideo = null;
            Subscription toQuietVideo = null;
            synchronized (session.conferenceRoom()) {
                for (Subscription s : session.subscriptions().values()) {
                    if (s.track().kind() == org.sluice.core.forward.MediaKind.VIDEO && s.stream() != null) {
                        if (s.track().participantId().equals(loud.id())) {
                            toLoudVideo = s;
                        } else if (s.track().participantId().equals(quiet.id())) {
                            toQuietVideo = s;
                        }
                    }
                }
            }
            assertThat(toLoudVideo).as("the late joiner's stream of the speaker's video").isNotNull();
            assertThat(toQuietVideo).as("the late joiner's stream of the other's video").isNotNull();
            assertThat(toLoudVideo.stream().rank()).as("the speaker's video ranks before others'").isEqualTo(1);
            assertThat(toQuietVideo.stream().rank()).isEqualTo(2);
        } finally {
            late.close();
        }
    }
}
