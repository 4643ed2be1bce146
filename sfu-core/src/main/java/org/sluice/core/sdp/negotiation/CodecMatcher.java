package org.sluice.core.sdp.negotiation;

import java.util.Locale;
import java.util.Map;
import org.sluice.core.sdp.Fmtp;
import org.sluice.core.sdp.RtpMap;

/**
 * Decides whether an offered payload type is a codec we support and which fmtp the answer carries: name, clock
 * rate and (audio) channels must match; VP9 {@code profile-id} and AV1 {@code profile} must be equal (absent = 0);
 * H.264 needs equal {@code packetization-mode} (absent = 0) and the same profile (RFC 6184), the answered level
 * being ours when both sides allow level asymmetry, else the lower of the two.
 */
final class CodecMatcher {

    private CodecMatcher() {
    }

    /**
     * The fmtp for the answer if {@code offered} (with fmtp parameters {@code offeredFmtp}, may be null) matches
     * {@code local}; {@code ""} when it matches with no fmtp; {@code null} when it does not match.
     */
    static String answerFmtp(CodecCapability local, String kind, RtpMap offered, String offeredFmtp) {
        if (!local.kind().equals(kind) || !local.name().equalsIgnoreCase(offered.encodingName())
                || local.clockRate() != offered.clockRate()) {
            return null;
        }
        if (kind.equals("audio") && local.channels() != offered.channels()) {
            return null;
        }
        Map<String, String> theirs = Fmtp.parse(offeredFmtp);
        Map<String, String> ours = Fmtp.parse(local.fmtp());
        String name = local.name().toUpperCase(Locale.ROOT);
        switch (name) {
            case "VP9" -> {
                if (!theirs.getOrDefault("profile-id", "0").equals(ours.getOrDefault("profile-id", "0"))) {
                    return null;
                }
            }
            case "AV1" -> {
                if (!theirs.getOrDefault("profile", "0").equals(ours.getOrDefault("profile", "0"))) {
                    return null;
                }
            }
            case "H264" -> {
                return h264AnswerFmtp(theirs, ours);
            }
            default -> {
                // name, clock rate and channels are all that distinguish other codecs
            }
        }
        if (local.fmtp() != null) {
            return local.fmtp();
        }
        return offeredFmtp == null ? "" : offeredFmtp;
    }

    private static String h264AnswerFmtp(Map<String, String> theirs, Map<String, String> ours) {
        if (!theirs.getOrDefault("packetization-mode", "0").equals(ours.getOrDefault("packetization-mode", "0"))) {
            return null;
        }
        H264ProfileLevelId remote = H264ProfileLevelId.parse(
                theirs.getOrDefault("profile-level-id", H264ProfileLevelId.DEFAULT));
        H264ProfileLevelId local = H264ProfileLevelId.parse(
                ours.getOrDefault("profile-level-id", H264ProfileLevelId.DEFAULT));
        if (remote == null || local == null || remote.profile() != local.profile()) {
            return null;
        }
        boolean asymmetry = "1".equals(theirs.get("level-asymmetry-allowed"))
                && "1".equals(ours.get("level-asymmetry-allowed"));
        int level = asymmetry ? local.level()
                : H264ProfileLevelId.compareLevels(remote.level(), local.level()) <= 0 ? remote.level() : local.level();
        StringBuilder sb = new StringBuilder();
        if (asymmetry) {
            sb.append("level-asymmetry-allowed=1;");
        }
        sb.append("packetization-mode=").append(ours.getOrDefault("packetization-mode", "0"));
        sb.append(";profile-level-id=").append(local.withLevel(level).toHex());
        return sb.toString();
    }
}
