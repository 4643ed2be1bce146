package org.sluice.api.auth;

/**
 * The outcome of verifying a token: a {@link Grant}, or a constant reason why the token is refused.
 */
public record TokenCheck(Grant grant, String rejectReason) {

    static TokenCheck valid(Grant grant) {
        return new TokenCheck(grant, null);
    }

    static TokenCheck rejected(String reason) {
        return new TokenCheck(null, reason);
    }

    public boolean isValid() {
        return grant != null;
    }
}
