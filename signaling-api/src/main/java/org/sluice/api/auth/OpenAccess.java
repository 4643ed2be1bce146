package org.sluice.api.auth;

/** {@link AccessControl} without a secret: everything is allowed, admin included, and no tokens are issued. */
final class OpenAccess implements AccessControl {

    @Override
    public AccessDecision check(String authorizationHeader, Action action, String room) {
        return AccessDecision.ALLOWED;
    }

    @Override
    public AccessDecision checkAdmin(String authorizationHeader) {
        return AccessDecision.ALLOWED;
    }
}
