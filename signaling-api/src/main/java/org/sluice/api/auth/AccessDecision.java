package org.sluice.api.auth;

/**
 * Whether a request may go on; when not, a short reason for the body and whether the caller was
 * identified but lacks the right ({@code forbidden}, HTTP 403) rather than not identified (401).
 */
public record AccessDecision(boolean allowed, String reason, boolean forbidden) {

    static final AccessDecision ALLOWED = new AccessDecision(true, null, false);

    /** A decision that is not a 403 (allowed, or denied for want of a valid token). */
    public AccessDecision(boolean allowed, String reason) {
        this(allowed, reason, false);
    }

    static AccessDecision denied(String reason) {
        return new AccessDecision(false, reason, false);
    }

    static AccessDecision forbidden(String reason) {
        return new AccessDecision(false, reason, true);
    }
}
