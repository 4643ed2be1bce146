package org.sluice.core.sdp;

/** The {@code a=setup} attribute (RFC 4145, RFC 8842): who opens the DTLS association. */
public enum Setup {
    ACTIVE("active"), PASSIVE("passive"), ACTPASS("actpass"), HOLDCONN("holdconn");

    private final String token;

    Setup(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The value, or {@code null} if {@code token} is none. */
    public static Setup fromToken(String token) {
        for (Setup s : values()) {
            if (s.token.equals(token)) {
                return s;
            }
        }
        return null;
    }
}
