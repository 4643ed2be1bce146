package org.sluice.core.conference.speaker;

import org.junit.jupiter.api.Test;
import org.sluice.core.conference.Speaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Synthetic rooms: every participant sends a packet every 20 ms with a level given by a function of the
 * time in milliseconds (a negative level means no packet, as with DTX), and the detector is evaluated every
 * 100 ms.
 */
class ActiveSpeakerDetectorTest {

    private static final long MS = 1_000_000L;
    private static final int SILENT = 127;
    private static final int NO_PACKET = -1;

    private final Map<String, AudioLevelMeter> meters = new LinkedHashMap<>();
    private final Map<String, IntUnaryOperator> voices = new LinkedHashMap<>();
    private final ActiveSpeakerDetector detector = new ActiveSpeakerDetector();
    /** Every non-null list the detector returned, with the time in ms. */
    private final List<Map.Entry<Long, List<Speaker>>> changes = new ArrayList<>();
    private List<String> current = List.of();
    private long nowMs;

    private void join(String id, IntUnaryOperator levelAtMs) {
        meters.put(id, new AudioLevelMeter());
        voices.put(id, levelAtMs);
    }

    /** Runs the room until {@code untilMs}, evaluating every 100 ms. */
    private void runUntil(long untilMs) {
        while (nowMs < untilMs) {
            nowMs += 20;
            for (Map.Entry<String, IntUnaryOperator> voice : voices.entrySet()) {
                int level = voice.getValue().applyAsInt((int) nowMs);
                if (level != NO_PACKET) {
                    meters.get(voice.getKey()).record(level, nowMs * MS);
                }
            }
            if (nowMs % 100 == 0) {
                List<Speaker> speakers = detector.update(meters, nowMs * MS);
                if (speakers != null) {
                    changes.add(Map.entry(nowMs, speakers));
                    current = speakers.stream().map(Speaker::participantId).toList();
                }
            }
        }
    }

    private Long firstTimeSpeaking(String id) {
        return changes.stream().filter(c -> c.getValue().stream().anyMatch(s -> s.participantId().equals(id)))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    @Test
    void aSteadySpeakerAppearsWithinThreeHundredMilliseconds() {
        join("alice", t -> 30);
        join("bob", t -> SILENT);
        runUntil(1000);
        assertThat(firstTimeSpeaking("alice")).isNotNull().isLessThanOrEqualTo(300L);
        assertThat(current).containsExactly("alice");
        assertThat(changes).hasSize(1); // reported once, no level jitter reported
        Speaker alice = changes.get(0).getValue().get(0);
        assertThat(alice.level()).isBetween(0.005, 0.04); // -30 dBov is 0.0316 linear
    }

    @Test
    void backgroundNoiseAndShortBurstsDoNotMakeASpeaker() {
        join("fan", t -> 60); // steady noise below the enter level
        join("click", t -> t >= 500 && t < 540 ? 30 : SILENT); // a 40 ms burst at speech loudness
        runUntil(3000);
        assertThat(changes).isEmpty();
    }

    @Test
    void pausesBetweenWordsDoNotFlicker() {
        // speaks 700 ms, pauses 300 ms, repeatedly
        join("alice", t -> t % 1000 < 700 ? 30 : SILENT);
        runUntil(10_000);
        assertThat(changes).hasSize(1);
        assertThat(current).containsExactly("alice");
    }

    @Test
    void silenceEmptiesTheListAfterTheHold() {
        join("alice", t -> t < 2000 ? 30 : SILENT);
        runUntil(2000);
        assertThat(current).containsExactly("alice");
        runUntil(2900);
        assertThat(current).containsExactly("alice"); // still within the hold
        runUntil(4000);
        assertThat(current).isEmpty();
        assertThat(changes.get(changes.size() - 1).getKey()).isBetween(3000L, 3500L);
    }

    @Test
    void dtxSilenceEmptiesTheListToo() {
        join("alice", t -> t < 2000 ? 30 : NO_PACKET); // the browser stops sending on silence
        runUntil(2000);
        assertThat(current).containsExactly("alice");
        runUntil(2900);
        assertThat(current).containsExactly("alice");
        runUntil(4000);
        assertThat(current).isEmpty();
    }

    @Test
    void aShortDtxGapDoesNotEndTheSpeaker() {
        // talks, then a 400 ms DTX gap every 1.4 s
        join("alice", t -> t % 1400 < 1000 ? 30 : NO_PACKET);
        runUntil(8000);
        assertThat(changes).hasSize(1);
        assertThat(current).containsExactly("alice");
    }

    @Test
    void twoPeopleAlternatingEveryHundredMillisecondsDoNotFlipTheOrder() {
        join("alice", t -> (t / 100) % 2 == 0 ? 30 : SILENT);
        join("bob", t -> (t / 100) % 2 == 1 ? 30 : SILENT);
        runUntil(10_000);
        assertThat(current).hasSize(2);
        // one list with the first of them, one with both: never a change of order
        assertThat(changes).hasSizeLessThanOrEqualTo(2);
        List<String> lastOrder = current;
        for (Map.Entry<Long, List<Speaker>> change : changes) {
            assertThat(change.getValue()).hasSizeLessThanOrEqualTo(2);
        }
        assertThat(changes.get(changes.size() - 1).getValue().stream().map(Speaker::participantId))
                .containsExactlyElementsOf(lastOrder);
    }

    @Test
    void alternatingAtDifferentLoudnessKeepsTheLouderFirstWithoutFlipping() {
        join("alice", t -> (t / 100) % 2 == 0 ? 25 : 45);
        join("bob", t -> (t / 100) % 2 == 1 ? 30 : 45);
        runUntil(10_000);
        long orderChangesAfterBothJoined = changes.stream().filter(c -> c.getValue().size() == 2).count();
        assertThat(orderChangesAfterBothJoined).isLessThanOrEqualTo(1);
    }

    @Test
    void simultaneousEntrantsAreOrderedByLoudness() {
        join("quiet", t -> 35);
        join("loud", t -> 15);
        join("middle", t -> 25);
        runUntil(1000);
        assertThat(current).containsExactly("loud", "middle", "quiet");
        assertThat(changes).hasSize(1);
    }

    @Test
    void aClearlyLouderSpeakerTakesTheFirstPlaceAfterASustainedTime() {
        join("alice", t -> 30);
        join("bob", t -> t < 2000 ? SILENT : 30);
        join("carol", t -> t < 4000 ? SILENT : 10); // 20 dB louder than the others
        runUntil(4000);
        assertThat(current).containsExactly("alice", "bob"); // same loudness: the first keeps its place
        runUntil(4300);
        assertThat(current).containsExactly("alice", "bob", "carol"); // joins at the end
        runUntil(6000);
        assertThat(current).containsExactly("carol", "alice", "bob");
        Long carolFirst = changes.stream().filter(c -> c.getValue().get(0).participantId().equals("carol"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(carolFirst).isBetween(4500L, 5000L); // sustained for 400 ms, not at once
    }

    @Test
    void theListIsCappedAtMaxSpeakers() {
        join("a", t -> 10);
        join("b", t -> 20);
        join("c", t -> 30);
        join("d", t -> 35);
        runUntil(1000);
        assertThat(current).containsExactly("a", "b", "c");
    }

    @Test
    void aParticipantRemovedFromTheMapDisappears() {
        join("alice", t -> 30);
        join("bob", t -> 20);
        runUntil(1000);
        assertThat(current).containsExactly("bob", "alice");
        meters.remove("bob");
        voices.remove("bob");
        runUntil(1100);
        assertThat(current).containsExactly("alice");
        assertThat(changes.get(changes.size() - 1).getKey()).isEqualTo(1100L);
    }

    @Test
    void unchangedListReturnsNull() {
        AudioLevelMeter meter = new AudioLevelMeter();
        Map<String, AudioLevelMeter> room = Map.of("alice", meter);
        assertThat(detector.update(room, 0)).isNull(); // empty, as initially
        for (long t = 0; t <= 1000; t += 20) {
            meter.record(30, t * MS);
        }
        assertThat(detector.update(room, 1000 * MS)).isNull(); // above the enter level since now
        assertThat(detector.update(room, 1000 * MS + 600 * MS)).isNull(); // stale meter: no longer above
        assertThat(detector.update(Map.of(), 2000 * MS)).isNull();
    }

    @Test
    void customSettingsApply() {
        ActiveSpeakerDetector one = new ActiveSpeakerDetector(new SpeakerDetectionSettings(1, 40, 50,
                Duration.ZERO, Duration.ZERO, 1.5, Duration.ZERO));
        AudioLevelMeter a = new AudioLevelMeter();
        AudioLevelMeter b = new AudioLevelMeter();
        for (long t = 0; t <= 1000; t += 20) {
            a.record(30, t * MS);
            b.record(10, t * MS);
        }
        Map<String, AudioLevelMeter> room = new LinkedHashMap<>();
        room.put("a", a);
        room.put("b", b);
        assertThat(one.update(room, 1000 * MS)).extracting(Speaker::participantId).containsExactly("b");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new SpeakerDetectionSettings(0, 40, 50, Duration.ZERO, Duration.ZERO, 1.5,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpeakerDetectionSettings(3, 50, 40, Duration.ZERO, Duration.ZERO, 1.5,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpeakerDetectionSettings(3, 40, 50, Duration.ZERO, Duration.ZERO, 1.0,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
