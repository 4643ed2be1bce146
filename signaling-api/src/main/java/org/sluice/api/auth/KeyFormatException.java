package org.sluice.api.auth;

/** A key, key file or JWKS that cannot be used; the message names the source and the problem in one line. */
public final class KeyFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) {
        super(message);
    }
}
