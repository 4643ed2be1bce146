package org.sluice.core.sdp;

/** Media direction attributes (RFC 8866 section 6.7), seen from the side that writes them. */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    /** The attribute name, e.g. {@code sendonly}. */
    public String token() {
        return token;
    }

    /** The direction, or {@code null} if {@code token} is none. */
    public static Direction fromToken(String token) {
        for (Direction d : values()) {
            if (d.token.equals(token)) {
                return d;
            }
        }
        return null;
    }

    /** The same flow seen from the other side: sendonly ↔ recvonly. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** Whether the writer of this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the writer of this direction receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
