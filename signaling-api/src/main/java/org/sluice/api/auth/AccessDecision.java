package org.sluice.api.auth;

/** Whether a request may go on; when not, a short reason for the 401 body. */
public record AccessDecision(boolean allowed, String reason) {

    static final AccessDecision ALLOWED = new AccessDecision(true, null);

    static AccessDecision denied(String reason) {
        return new AccessDecision(false, reason);
    }
}
