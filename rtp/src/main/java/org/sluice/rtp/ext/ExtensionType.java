package org.sluice.rtp.ext;

/**
 * The RTP header extensions Sluice understands, by the URI that SDP {@code a=extmap} lines carry.
 */
public enum ExtensionType {
    /** RFC 6464 client-to-mixer audio level. */
    AUDIO_LEVEL("urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
    /** Absolute send time, 24-bit 6.18 fixed-point seconds (WebRTC). */
    ABS_SEND_TIME("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
    /** Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    TRANSPORT_WIDE_CC("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
    /** RFC 9143 (BUNDLE) media identification. */
    MID("urn:ietf:params:rtp-hdrext:sdes:mid"),
    /** RFC 8852 RtpStreamId. */
    RID("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
    /** RFC 8852 RepairedRtpStreamId. */
    REPAIRED_RID("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    /** 3GPP TS 26.114 coordination of video orientation (CVO). */
    VIDEO_ORIENTATION("urn:3gpp:video-orientation"),
    /** The AV1 RTP specification's dependency descriptor (also used with VP8/VP9 SVC). */
    DEPENDENCY_DESCRIPTOR("https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    private final String uri;

    ExtensionType(String uri) {
        this.uri = uri;
    }

    /** The URI that names this extension in SDP. */
    public String uri() {
        return uri;
    }

    /** The type named by {@code uri}, or {@code null} when Sluice does not know it. */
    public static ExtensionType fromUri(String uri) {
        if (uri == null) {
            return null;
        }
        String trimmed = uri.trim();
        for (ExtensionType type : values()) {
            if (type.uri.equals(trimmed)) {
                return type;
            }
        }
        return null;
    }
}
