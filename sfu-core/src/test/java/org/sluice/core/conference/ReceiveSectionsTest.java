package org.sluice.core.conference;

import org.junit.jupiter.api.Test;
import org.sluice.core.forward.MediaKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.forward.MediaKind.AUDIO;
import static org.sluice.core.forward.MediaKind.VIDEO;

/** Receive-section assignment and the renegotiation counts, without networking. */
class ReceiveSectionsTest {

    private final ReceiveSections<String> sections = new ReceiveSections<>();

    private static Map<String, MediaKind> offer(Object... midKind) {
        Map<String, MediaKind> out = new LinkedHashMap<>();
        for (int i = 0; i < midKind.length; i += 2) {
            out.put((String) midKind[i], (MediaKind) midKind[i + 1]);
        }
        return out;
    }

    private Map<String, String> answer(Map<String, MediaKind> offered) {
        ReceiveSections.Plan<String> plan = sections.plan(offered);
        sections.commit(plan, List.of());
        return plan.assignments();
    }

    @Test
    void pendingItemsAskForSectionsOfTheirKindAndTakeFreeOnesInOrder() {
        assertThat(sections.renegotiationNeeded()).isFalse();
        sections.addPending("a1", AUDIO);
        sections.addPending("v1", VIDEO);
        sections.addPending("a2", AUDIO);
        assertThat(sections.renegotiationNeeded()).isTrue();
        assertThat(sections.needed(AUDIO)).isEqualTo(2);
        assertThat(sections.needed(VIDEO)).isEqualTo(1);

        // An offer with one audio section too few: what fits is assigned, the rest waits.
        assertThat(answer(offer("2", AUDIO, "3", VIDEO))).containsExactly(Map.entry("2", "a1"), Map.entry("3", "v1"));
        assertThat(sections.isPending("a2")).isTrue();
        assertThat(sections.needed(AUDIO)).isEqualTo(2);
        assertThat(answer(offer("2", AUDIO, "3", VIDEO, "4", AUDIO)))
                .containsExactly(Map.entry("2", "a1"), Map.entry("3", "v1"), Map.entry("4", "a2"));
        assertThat(sections.renegotiationNeeded()).isFalse();
        assertThat(sections.midOf("a2")).isEqualTo("4");
    }

    @Test
    void aReleasedSectionIsAnsweredInactiveOnceBeforeItCarriesSomethingElse() {
        sections.addPending("a1", AUDIO);
        answer(offer("2", AUDIO));
        assertThat(sections.release("a1")).isTrue();
        sections.addPending("a2", AUDIO);
        assertThat(sections.renegotiationNeeded()).isTrue();
        // The released section must go inactive, so the new item needs a second section.
        assertThat(sections.needed(AUDIO)).isEqualTo(2);
        assertThat(answer(offer("2", AUDIO))).isEmpty();
        assertThat(sections.isPending("a2")).isTrue();
        // Now answered inactive once, the section is free again.
        assertThat(sections.needed(AUDIO)).isEqualTo(1);
        assertThat(answer(offer("2", AUDIO))).containsExactly(Map.entry("2", "a2"));
    }

    @Test
    void aPlanChangesNothingUntilCommittedAndRefusedMidsKeepTheirItemsPending() {
        sections.addPending("v1", VIDEO);
        ReceiveSections.Plan<String> plan = sections.plan(offer("5", VIDEO));
        assertThat(plan.assignments()).containsExactly(Map.entry("5", "v1"));
        assertThat(sections.isPending("v1")).isTrue();
        sections.commit(plan, List.of("5"));
        assertThat(sections.isPending("v1")).isTrue();
        assertThat(sections.midOf("v1")).isNull();
        assertThat(answer(offer("5", VIDEO))).containsExactly(Map.entry("5", "v1"));
    }

    @Test
    void itemsOfSectionsAnOfferDropsWaitAgainAndKindsNeverMix() {
        sections.addPending("a1", AUDIO);
        sections.addPending("v1", VIDEO);
        answer(offer("2", AUDIO, "3", VIDEO));
        assertThat(answer(offer("3", VIDEO, "4", VIDEO))).containsExactly(Map.entry("3", "v1"));
        assertThat(sections.isPending("a1")).isTrue();
        assertThat(answer(offer("3", VIDEO, "4", VIDEO, "6", AUDIO)))
                .containsExactly(Map.entry("3", "v1"), Map.entry("6", "a1"));
    }

    @Test
    void releasingAPendingItemJustForgetsIt() {
        sections.addPending("a1", AUDIO);
        assertThat(sections.release("a1")).isFalse();
        assertThat(sections.renegotiationNeeded()).isFalse();
        assertThat(sections.needed(AUDIO)).isZero();
    }
}
