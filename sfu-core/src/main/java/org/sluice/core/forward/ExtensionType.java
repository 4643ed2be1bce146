package org.sluice.core.forward;

/**
 * The RTP header extensions the forwarder carries from a publisher to its receivers, renumbered to
 * each receiver's negotiated ids. Extensions whose value is per-leg (mid, rid, transport-wide
 * sequence numbers, abs-send-time) are not copied: the SFU terminates those.
 */
public enum ExtensionType {
    AUDIO_LEVEL("urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
    VIDEO_ORIENTATION("urn:3gpp:video-orientation"),
    DEPENDENCY_DESCRIPTOR("https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    private final String uri;

    ExtensionType(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    /** The forwarded type for an extmap URI, or {@code null}. */
    public static ExtensionType fromUri(String uri) {
        for (ExtensionType type : values()) {
            if (type.uri.equals(uri)) {
                return type;
            }
        }
        return null;
    }
}
