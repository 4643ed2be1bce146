package org.sluice.core.ice;

/** The tcptype of an ICE-TCP candidate (RFC 6544 §4.5). */
public enum TcpType {
    ACTIVE("active", 6),
    PASSIVE("passive", 4),
    SIMULTANEOUS_OPEN("so", 2);

    private final String sdpName;
    private final int hostDirectionPreference;

    TcpType(String sdpName, int hostDirectionPreference) {
        this.sdpName = sdpName;
        this.hostDirectionPreference = hostDirectionPreference;
    }

    public String sdpName() {
        return sdpName;
    }

    /** RFC 6544 §4.2 recommended direction-pref for host (and relayed, UDP-tunneled) candidates. */
    public int hostDirectionPreference() {
        return hostDirectionPreference;
    }

    /** The tcptype for an SDP token, or null if unknown. */
    public static TcpType fromSdp(String token) {
        for (TcpType type : values()) {
            if (type.sdpName.equals(token)) {
                return type;
            }
        }
        return null;
    }
}
