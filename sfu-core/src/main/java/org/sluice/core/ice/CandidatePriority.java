package org.sluice.core.ice;

/** Candidate priority formulas of RFC 8445 §5.1.2.1 and RFC 6544 §4.2. */
public final class CandidatePriority {

    /** The most preferred local preference. */
    public static final int MAX_LOCAL_PREFERENCE = 65535;
    /** The largest RFC 6544 other-pref. */
    public static final int MAX_TCP_OTHER_PREFERENCE = 8191;

    private CandidatePriority() {
    }

    /** priority = 2^24 * type pref + 2^8 * local pref + (256 - component id). */
    public static long priority(int typePreference, int localPreference, int componentId) {
        if (typePreference < 0 || typePreference > 126 || localPreference < 0 || localPreference > 65535
                || componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("preference or component out of range");
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    /** RFC 6544 §4.2: local preference = 2^13 * direction-pref + other-pref. */
    public static int tcpLocalPreference(int directionPreference, int otherPreference) {
        if (directionPreference < 0 || directionPreference > 7 || otherPreference < 0
                || otherPreference > MAX_TCP_OTHER_PREFERENCE) {
            throw new IllegalArgumentException("direction-pref or other-pref out of range");
        }
        return (directionPreference << 13) + otherPreference;
    }
}
