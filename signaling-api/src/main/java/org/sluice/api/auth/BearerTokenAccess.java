package org.sluice.api.auth;

import java.util.Locale;
import java.util.Optional;

/** {@link AccessControl} by {@code Authorization: Bearer <HS256 JWT>}. */
final class BearerTokenAccess implements AccessControl {

    private static final String PREFIX = "bearer ";

    private final JwtVerifier verifier;
    private final TokenIssuer issuer;

    BearerTokenAccess(JwtVerifier verifier) {
        this(verifier, null);
    }

    BearerTokenAccess(JwtVerifier verifier, TokenIssuer issuer) {
        this.verifier = verifier;
        this.issuer = issuer;
    }

    @Override
    public AccessDecision check(String authorizationHeader, Action action, String room) {
        TokenCheck check = verifyHeader(authorizationHeader);
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
    public AccessDecision checkAdmin(String authorizationHeader) {
        TokenCheck check = verifyHeader(authorizationHeader);
        if (!check.isValid()) {
            return AccessDecision.denied(check.rejectReason());
        }
        if (!check.grant().admin()) {
            return AccessDecision.forbidden("token does not grant admin access");
        }
        return AccessDecision.ALLOWED;
    }

    @Override
    public Optional<TokenIssuer> tokenIssuer() {
        return Optional.ofNullable(issuer);
    }

    private TokenCheck verifyHeader(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return TokenCheck.rejected("missing bearer token");
        }
        String header = authorizationHeader.strip();
        if (header.length() <= PREFIX.length()
                || !header.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            return TokenCheck.rejected("authorization is not a bearer token");
        }
        return verifier.verify(header.substring(PREFIX.length()).strip());
    }

    @Override
    public TokenCheck verifyToken(String token) {
        return verifier.verify(token);
    }
}
