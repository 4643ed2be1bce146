package org.sluice.core.conference.speaker;

import org.sluice.core.conference.Speaker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A room's active speakers, from its participants' {@link AudioLevelMeter}s. Call {@link #update}
 * periodically (every 100 to 300 ms) on the room's control thread; not thread-safe.
 *
 * <p>Membership has hysteresis: a participant becomes a speaker after its smoothed level stayed at or above
 * the enter level for {@code enterAfter}, and stops only after it stayed below the lower exit level for
 * {@code holdAfter}, so pauses between words do not make it flicker. Order has hysteresis too (a simplified
 * form of dominant speaker identification): a new speaker joins at the end of the list (new speakers in the
 * same update by loudness), and a speaker moves ahead of the ones before it only after it has been clearly
 * louder ({@code overtakeRatio}) than the speaker directly ahead for {@code overtakeAfter}; it then moves past
 * every speaker it is clearly louder than. Two people trading short phrases therefore do not swap the first
 * place on every evaluation. The list "changes" when its membership or order changes, not on level jitter.
 */
public final class ActiveSpeakerDetector {

    private static final long UNSET = Long.MIN_VALUE;

    private final int maxSpeakers;
    private final double enterAmplitude;
    private final double exitAmplitude;
    private final long enterAfterNanos;
    private final long holdAfterNanos;
    private final double overtakeRatio;
    private final long overtakeAfterNanos;

    private final Map<String, Candidate> candidates = new HashMap<>();
    /** Current speakers, dominant first; the reported list is its head. */
    private final List<Candidate> order = new ArrayList<>();
    private List<String> reportedIds = List.of();

    /** A detector with {@link SpeakerDetectionSettings#DEFAULTS}. */
    public ActiveSpeakerDetector() {
        this(SpeakerDetectionSettings.DEFAULTS);
    }

    public ActiveSpeakerDetector(SpeakerDetectionSettings settings) {
        this.maxSpeakers = settings.maxSpeakers();
        this.enterAmplitude = AudioLevelMeter.amplitudeOf(settings.enterLevel());
        this.exitAmplitude = AudioLevelMeter.amplitudeOf(settings.exitLevel());
        this.enterAfterNanos = settings.enterAfter().toNanos();
        this.holdAfterNanos = settings.holdAfter().toNanos();
        this.overtakeRatio = settings.overtakeRatio();
        this.overtakeAfterNanos = settings.overtakeAfter().toNanos();
    }

    /**
     * Samples {@code meters} (participant id to its audio meter; participants missing from the map are
     * forgotten) and returns the current speakers, dominant first, at most {@code maxSpeakers}, each with its
     * smoothed linear level 0..1 — or {@code null} when the membership and order are the same as at the
     * previous call that returned a list (initially the empty list).
     */
    public List<Speaker> update(Map<String, AudioLevelMeter> meters, long nowNanos) {
        forgetMissing(meters);
        List<Candidate> entering = new ArrayList<>(0);
        for (Map.Entry<String, AudioLevelMeter> entry : meters.entrySet()) {
            Candidate candidate = candidates.computeIfAbsent(entry.getKey(), Candidate::new);
            candidate.level = entry.getValue().level(nowNanos);
            if (candidate.speaking) {
                updateSpeaking(candidate, nowNanos);
            } else if (updateSilent(candidate, nowNanos)) {
                entering.add(candidate);
            }
        }
        order.removeIf(candidate -> !candidate.speaking);
        entering.sort((a, b) -> Double.compare(b.level, a.level));
        order.addAll(entering);
        reorder(nowNanos);
        return report();
    }

    private void forgetMissing(Map<String, AudioLevelMeter> meters) {
        for (Iterator<String> ids = candidates.keySet().iterator(); ids.hasNext(); ) {
            String id = ids.next();
            if (!meters.containsKey(id)) {
                ids.remove();
            }
        }
        order.removeIf(candidate -> !meters.containsKey(candidate.id));
    }

    /** True when the candidate has just become a speaker. */
    private boolean updateSilent(Candidate candidate, long now) {
        if (candidate.level < enterAmplitude) {
            candidate.aboveSince = UNSET;
            return false;
        }
        if (candidate.aboveSince == UNSET) {
            candidate.aboveSince = now;
        }
        if (now - candidate.aboveSince < enterAfterNanos) {
            return false;
        }
        candidate.speaking = true;
        candidate.aboveSince = UNSET;
        candidate.belowSince = UNSET;
        candidate.overtakingSince = UNSET;
        return true;
    }

    private void updateSpeaking(Candidate candidate, long now) {
        if (candidate.level >= exitAmplitude) {
            candidate.belowSince = UNSET;
            return;
        }
        if (candidate.belowSince == UNSET) {
            candidate.belowSince = now;
        }
        if (now - candidate.belowSince >= holdAfterNanos) {
            candidate.speaking = false;
            candidate.belowSince = UNSET;
        }
    }

    /** Moves each speaker that has been clearly louder than the one ahead for long enough. */
    private void reorder(long now) {
        for (int i = 1; i < order.size(); i++) {
            Candidate challenger = order.get(i);
            int target = i;
            while (target > 0 && clearlyLouder(challenger, order.get(target - 1))) {
                target--;
            }
            if (target == i) {
                challenger.overtakingSince = UNSET;
                continue;
            }
            if (challenger.overtakingSince == UNSET) {
                challenger.overtakingSince = now;
            }
            if (now - challenger.overtakingSince >= overtakeAfterNanos) {
                order.remove(i);
                order.add(target, challenger);
                for (int j = target; j <= i; j++) {
                    order.get(j).overtakingSince = UNSET;
                }
            }
        }
    }

    private boolean clearlyLouder(Candidate challenger, Candidate incumbent) {
        return challenger.level > incumbent.level * overtakeRatio;
    }

    private List<Speaker> report() {
        int n = Math.min(order.size(), maxSpeakers);
        boolean same = n == reportedIds.size();
        for (int i = 0; same && i < n; i++) {
            same = order.get(i).id.equals(reportedIds.get(i));
        }
        if (same) {
            return null;
        }
        List<String> ids = new ArrayList<>(n);
        List<Speaker> speakers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate candidate = order.get(i);
            ids.add(candidate.id);
            speakers.add(new Speaker(candidate.id, Math.min(1.0, candidate.level)));
        }
        reportedIds = List.copyOf(ids);
        return List.copyOf(speakers);
    }

    /** Per-participant detection state. */
    private static final class Candidate {
        final String id;
        double level;
        boolean speaking;
        long aboveSince = UNSET;
        long belowSince = UNSET;
        long overtakingSince = UNSET;

        Candidate(String id) {
            this.id = id;
        }
    }
}
