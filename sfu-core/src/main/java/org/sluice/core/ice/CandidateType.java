package org.sluice.core.ice;

/** Candidate types (RFC 8445 §5.1.2.2) with the recommended type preferences. */
public enum CandidateType {
    HOST("host", 126),
    PEER_REFLEXIVE("prflx", 110),
    SERVER_REFLEXIVE("srflx", 100),
    RELAYED("relay", 0);

    private final String sdpName;
    private final int typePreference;

    CandidateType(String sdpName, int typePreference) {
        this.sdpName = sdpName;
        this.typePreference = typePreference;
    }

    /** The token after {@code typ} in a candidate attribute. */
    public String sdpName() {
        return sdpName;
    }

    public int typePreference() {
        return typePreference;
    }

    /** The type for an SDP token, or null if unknown. */
    public static CandidateType fromSdp(String token) {
        for (CandidateType type : values()) {
            if (type.sdpName.equals(token)) {
                return type;
            }
        }
        return null;
    }
}
