package org.sluice.core.conference;

import java.util.Locale;

/** What a published track carries, as its publisher declared it. */
public enum TrackSource {
    CAMERA,
    MICROPHONE,
    SCREEN,
    SCREEN_AUDIO,
    UNKNOWN;

    /** The protocol's spelling: {@code camera}, {@code microphone}, {@code screen}, {@code screen_audio}, {@code unknown}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source named {@code text} (protocol spelling), or {@code null} if there is none. */
    public static TrackSource fromWireName(String text) {
        if (text == null) {
            return null;
        }
        for (TrackSource source : values()) {
            if (source.wireName().equals(text)) {
                return source;
            }
        }
        return null;
    }
}
