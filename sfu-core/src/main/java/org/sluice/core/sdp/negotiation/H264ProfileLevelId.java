package org.sluice.core.sdp.negotiation;

import java.util.Locale;

/**
 * An H.264 {@code profile-level-id} (RFC 6184 section 8.1): {@code profile_idc}, the constraint-flag byte
 * ({@code profile-iop}) and {@code level_idc}, classified into the profiles WebRTC distinguishes. Two
 * profile-level-ids are compatible when their profiles are equal; levels are negotiated separately.
 *
 * @param profile the profile the three bytes denote
 * @param level   the level as {@code level_idc} (e.g. 31 for 3.1), with level 1b written as {@link #LEVEL_1B}
 */
public record H264ProfileLevelId(Profile profile, int level) {

    /** Level 1b, which H.264 encodes with a constraint flag; ordered between level 1 (10) and 1.1 (11). */
    public static final int LEVEL_1B = 0;

    /** The profiles WebRTC tells apart. */
    public enum Profile {
        CONSTRAINED_BASELINE("42e0"), BASELINE("4200"), MAIN("4d00"), CONSTRAINED_HIGH("640c"), HIGH("6400"),
        PREDICTIVE_HIGH_444("f400");

        private final String prefix;

        Profile(String prefix) {
            this.prefix = prefix;
        }
    }

    /** RFC 6184: a missing profile-level-id means Baseline level 1 ({@code 42000a}). */
    public static final String DEFAULT = "42000a";

    /** The parsed value, or {@code null} if the text is not six hex digits of a known profile. */
    public static H264ProfileLevelId parse(String text) {
        if (text == null || text.length() != 6) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < 6; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) {
                return null;
            }
            value = (value << 4) | d;
        }
        int idc = value >>> 16;
        int iop = (value >>> 8) & 0xFF;
        int levelIdc = value & 0xFF;
        Profile profile = classify(idc, iop);
        if (profile == null) {
            return null;
        }
        int level = levelIdc;
        if (levelIdc == 11 && (iop & 0x10) != 0
                && (profile == Profile.BASELINE || profile == Profile.CONSTRAINED_BASELINE || profile == Profile.MAIN)) {
            level = LEVEL_1B;
        } else if (levelIdc == 9) {
            level = LEVEL_1B;
        }
        return new H264ProfileLevelId(profile, level);
    }

    /** Profile patterns as libwebrtc applies them (x = don't care), RFC 6184 Table 5 semantics. */
    private static Profile classify(int idc, int iop) {
        return switch (idc) {
            case 0x42 -> (iop & 0x0F) != 0 ? null
                    : (iop & 0x40) != 0 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
            case 0x4D -> (iop & 0x0F) != 0 ? null
                    : (iop & 0x80) != 0 ? Profile.CONSTRAINED_BASELINE
                    : (iop & 0x20) == 0 ? Profile.MAIN : null;
            case 0x58 -> (iop & 0x0F) != 0 || (iop & 0x80) == 0 ? null
                    : (iop & 0x40) != 0 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
            case 0x64 -> iop == 0x00 ? Profile.HIGH : iop == 0x0C ? Profile.CONSTRAINED_HIGH : null;
            case 0xF4 -> iop == 0x00 ? Profile.PREDICTIVE_HIGH_444 : null;
            default -> null;
        };
    }

    /** Orders levels with 1b between 1 and 1.1. */
    public static int compareLevels(int a, int b) {
        return Integer.compare(order(a), order(b));
    }

    private static int order(int level) {
        return level == LEVEL_1B ? 21 : level * 2;
    }

    /** This value with another level. */
    public H264ProfileLevelId withLevel(int newLevel) {
        return new H264ProfileLevelId(profile, newLevel);
    }

    /** The canonical six hex digits, e.g. {@code 42e01f}. */
    public String toHex() {
        if (level == LEVEL_1B) {
            return switch (profile) {
                case CONSTRAINED_BASELINE -> "42f00b";
                case BASELINE -> "42100b";
                case MAIN -> "4d100b";
                default -> profile.prefix + "09";
            };
        }
        return profile.prefix + String.format(Locale.ROOT, "%02x", level & 0xFF);
    }
}
