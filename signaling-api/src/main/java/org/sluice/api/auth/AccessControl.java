package org.sluice.api.auth;

import java.time.Clock;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization} header allows an action in a room. With no
 * secret configured every request is allowed (the server then listens on loopback only).
 */
public interface AccessControl {

    /**
     * @param authorizationHeader the raw header value, or {@code null} if absent
     * @param action              what the request wants to do
     * @param room                the room it wants to do it in
     */
    AccessDecision check(String authorizationHeader, Action action, String room);

    /** Access for this configuration: open without a secret, HS256 bearer tokens with one. */
    static AccessControl forSecret(Optional<String> secret, Clock clock) {
        return secret.<AccessControl>map(s -> new BearerTokenAccess(new JwtVerifier(s, clock)))
                .orElse((header, action, room) -> AccessDecision.ALLOWED);
    }
}
