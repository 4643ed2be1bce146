package org.sluice.core.sdp.negotiation;

import java.util.List;

/**
 * A codec the server can forward, with the parameters it answers and the RTCP feedback it supports.
 *
 * @param kind        {@code audio} or {@code video}
 * @param name        encoding name as in rtpmap, matched case-insensitively (e.g. {@code opus}, {@code H264})
 * @param clockRate   RTP clock rate
 * @param channels    audio channels (1 for video)
 * @param fmtp        the fmtp the answer carries for this codec, or {@code null} to echo the offer's
 * @param rtx         whether an RTX (RFC 4588) payload type is answered when the offer has one for this codec
 * @param feedback    supported rtcp-fb values, e.g. {@code nack}, {@code nack pli}, {@code ccm fir},
 *                    {@code goog-remb}, {@code transport-cc}, {@code rrtr}
 */
public record CodecCapability(String kind, String name, int clockRate, int channels, String fmtp, boolean rtx,
        List<String> feedback) {

    /** Video feedback we support: NACK, PLI, FIR, REMB, transport-cc and RFC 3611 receiver reference time. */
    public static final List<String> VIDEO_FEEDBACK =
            List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli", "rrtr");

    public CodecCapability {
        feedback = List.copyOf(feedback);
    }

    /** Opus 48000/2 answered with {@code minptime=10;useinbandfec=1}, transport-cc feedback. */
    public static CodecCapability opus() {
        return new CodecCapability("audio", "opus", 48000, 2, "minptime=10;useinbandfec=1", false,
                List.of("transport-cc"));
    }

    /** VP8 with RTX. */
    public static CodecCapability vp8() {
        return new CodecCapability("video", "VP8", 90000, 1, null, true, VIDEO_FEEDBACK);
    }

    /** VP9 profile 0 with RTX. */
    public static CodecCapability vp9Profile0() {
        return new CodecCapability("video", "VP9", 90000, 1, "profile-id=0", true, VIDEO_FEEDBACK);
    }

    /**
     * H.264 packetization-mode 1 with the given profile-level-id (e.g. {@code 42e01f}), level asymmetry allowed,
     * with RTX.
     */
    public static CodecCapability h264(String profileLevelId) {
        if (H264ProfileLevelId.parse(profileLevelId) == null) {
            throw new IllegalArgumentException("not a known H.264 profile-level-id: " + profileLevelId);
        }
        return new CodecCapability("video", "H264", 90000, 1,
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + profileLevelId, true,
                VIDEO_FEEDBACK);
    }

    /** AV1 profile 0 with RTX; the answer echoes the offer's fmtp. */
    public static CodecCapability av1() {
        return new CodecCapability("video", "AV1", 90000, 1, null, true, VIDEO_FEEDBACK);
    }

    /** Opus, VP8, VP9 profile 0, H.264 42e01f / 42001f / 4d001f (packetization-mode 1) and AV1. */
    public static List<CodecCapability> defaults() {
        return List.of(opus(), vp8(), vp9Profile0(), h264("42e01f"), h264("42001f"), h264("4d001f"), av1());
    }
}
