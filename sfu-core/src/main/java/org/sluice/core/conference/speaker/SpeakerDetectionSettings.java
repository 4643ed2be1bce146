package org.sluice.core.conference.speaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link ActiveSpeakerDetector}. Levels are RFC 6464 levels (-dBov, 0 loudest, 127 silence) of the
 * smoothed loudness, so {@code enterLevel} must be louder (smaller) than {@code exitLevel}.
 *
 * @param maxSpeakers    how many speakers the list reports at most, at least 1
 * @param enterLevel     smoothed level at or louder than which a participant starts counting as speaking
 * @param exitLevel      smoothed level quieter than which a speaker starts counting as silent
 * @param enterAfter     how long a participant must stay at or above {@code enterLevel} to become a speaker
 * @param holdAfter      how long a speaker must stay below {@code exitLevel} to stop being one
 * @param overtakeRatio  how much louder (linear amplitude ratio, above 1) a speaker must be than the one ahead
 *                       of it in the list to count as clearly louder
 * @param overtakeAfter  how long it must stay clearly louder before the two swap places
 */
public record SpeakerDetectionSettings(int maxSpeakers, int enterLevel, int exitLevel, Duration enterAfter,
                                       Duration holdAfter, double overtakeRatio, Duration overtakeAfter) {

    /**
     * Defaults: three speakers; enter at -40 dBov after 150 ms, leave below -45 dBov after 600 ms (with the
     * meter's 200 ms smoothing, a speaker at -30 dBov who falls silent leaves after about 1.3 s); a speaker
     * overtakes the one ahead when 1.5 times (3.5 dB) louder for 400 ms.
     */
    public static final SpeakerDetectionSettings DEFAULTS = new SpeakerDetectionSettings(3, 40, 45,
            Duration.ofMillis(150), Duration.ofMillis(600), 1.5, Duration.ofMillis(400));

    public SpeakerDetectionSettings {
        Objects.requireNonNull(enterAfter, "enterAfter");
        Objects.requireNonNull(holdAfter, "holdAfter");
        Objects.requireNonNull(overtakeAfter, "overtakeAfter");
        if (maxSpeakers < 1) {
            throw new IllegalArgumentException("maxSpeakers must be at least 1");
        }
        if (enterLevel < 0 || exitLevel > 126 || enterLevel >= exitLevel) {
            throw new IllegalArgumentException("need 0 <= enterLevel < exitLevel <= 126");
        }
        if (enterAfter.isNegative() || holdAfter.isNegative() || overtakeAfter.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!(overtakeRatio > 1)) {
            throw new IllegalArgumentException("overtakeRatio must be above 1");
        }
    }
}
