package org.sluice.core.session;

/** An offer (or trickle fragment) the engine will not take, with a reason fit for a client. */
public final class OfferRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an offer was refused; the HTTP layer maps each to a status. */
    public enum Reason {
        /** Not parseable as SDP (HTTP 400). */
        MALFORMED_SDP,
        /** Parseable, but missing what Sluice requires: BUNDLE, rtcp-mux, ICE credentials, DTLS fingerprint (HTTP 400). */
        UNSUPPORTED_OFFER,
        /** No codec in common (HTTP 406). */
        NO_COMMON_CODEC,
        /** The room already has a publisher, or is full (HTTP 409). */
        CONFLICT,
        /** The server is not taking new sessions, e.g. while draining (HTTP 503). */
        UNAVAILABLE
    }

    private final Reason reason;

    public OfferRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
