package org.sluice.api.auth;

import java.util.Locale;

/** {@link AccessControl} by {@code Authorization: Bearer <HS256 JWT>}. */
final class BearerTokenAccess implements AccessControl {

    private static final String PREFIX = "bearer ";

    private final JwtVerifier verifier;

    BearerTokenAccess(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public AccessDecision check(String authorizationHeader, Action action, String room) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return AccessDecision.denied("missing bearer token");
        }
        String header = authorizationHeader.strip();
        if (header.length() <= PREFIX.length()
                || !header.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            return AccessDecision.denied("authorization is not a bearer token");
        }
        TokenCheck check = verifier.verify(header.substring(PREFIX.length()).strip());
        if (!check.isValid()) {
            return AccessDecision.denied(check.rejectReason());
        }
        if (!check.grant().allows(action, room)) {
            return AccessDecision.denied("token does not allow "
                    + (action == Action.PUBLISH ? "publishing" : "subscribing") + " in this room");
        }
        return AccessDecision.ALLOWED;
    }

    @Override
    public TokenCheck verifyToken(String token) {
        return verifier.verify(token);
    }
}
