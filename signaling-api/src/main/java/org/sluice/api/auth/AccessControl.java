package org.sluice.api.auth;

import java.time.Clock;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization} header allows an action in a room, or the use
 * of the admin API. With no secret configured every request is allowed (the server then listens on
 * loopback only).
 */
public interface AccessControl {

    /**
     * @param authorizationHeader the raw header value, or {@code null} if absent
     * @param action              what the request wants to do
     * @param room                the room it wants to do it in
     */
    AccessDecision check(String authorizationHeader, Action action, String room);

    /**
     * Whether the request may use the admin API: a valid token with {@code admin: true}. A valid
     * token without it is {@link AccessDecision#forbidden() forbidden}. Implementations that know
     * nothing of admin rights refuse.
     *
     * @param authorizationHeader the raw header value, or {@code null} if absent
     */
    default AccessDecision checkAdmin(String authorizationHeader) {
        return AccessDecision.forbidden("admin access is not configured");
    }

    /** Issues tokens this access control accepts; empty when no secret is configured. */
    default Optional<TokenIssuer> tokenIssuer() {
        return Optional.empty();
    }

    /**
     * Verifies a bare token (the conferencing WebSocket's {@code access_token} or {@code bearer.<jwt>}
     * subprotocol) and returns what it grants. Without authentication this is {@link Grant#EVERYTHING}, whatever
     * the token; the result is never {@code null}.
     *
     * @param token the compact JWT, or {@code null} if the client sent none
     */
    default TokenCheck verifyToken(String token) {
        return TokenCheck.valid(Grant.EVERYTHING);
    }

    /** Access for this configuration: open without a secret, HS256 bearer tokens with one. */
    static AccessControl forSecret(Optional<String> secret, Clock clock) {
        return secret.<AccessControl>map(s -> new BearerTokenAccess(new JwtVerifier(s, clock), new TokenIssuer(s, clock)))
                .orElseGet(OpenAccess::new);
    }
}
