package org.sluice.core.ice;

/** What {@link IceLiteAgent#handleRequest} did with a STUN message. */
public enum IceCheckOutcome {
    /** A valid check: success response written, pair recorded as valid. */
    VALID,
    /** A valid check with USE-CANDIDATE: success response written, pair nominated and selected. */
    NOMINATED,
    /** Malformed or missing USERNAME/MESSAGE-INTEGRITY, or not a Binding request: 400 written. */
    REJECTED_400,
    /** Unknown USERNAME or wrong MESSAGE-INTEGRITY: 401 written. */
    REJECTED_401,
    /** The peer claims the controlled role too: 487 written (RFC 8445 §7.3.1.1). */
    ROLE_CONFLICT,
    /** Not a request for us (invalid view, indication, response, bad FINGERPRINT): nothing written. */
    IGNORED;

    /** Whether a response was written to the output buffer. */
    public boolean hasResponse() {
        return this != IGNORED;
    }
}
