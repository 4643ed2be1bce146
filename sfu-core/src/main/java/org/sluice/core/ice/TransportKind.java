package org.sluice.core.ice;

/** The transport a candidate or candidate pair runs over. */
public enum TransportKind {
    /** Plain UDP. */
    UDP("udp"),
    /** TCP with RFC 4571 framing (ICE-TCP, RFC 6544). */
    TCP("tcp");

    private final String sdpName;

    TransportKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The transport token of an SDP candidate attribute. */
    public String sdpName() {
        return sdpName;
    }
}
