package org.sluice.core.forward;

/** Audio or video, as in an SDP m= line. */
public enum MediaKind {
    AUDIO, VIDEO;

    /** The kind for an SDP media type ("audio", "video"), or {@code null} for anything else. */
    public static MediaKind fromSdp(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }

    /** The SDP media type: {@code audio} or {@code video}. */
    public String sdpName() {
        return this == AUDIO ? "audio" : "video";
    }
}
