package org.sluice.api.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Issues HS256 JWTs that {@link JwtVerifier} accepts, signed through vertx-auth-jwt with the server's
 * {@code auth.secret}; with a key id the header names it ({@code kid}), so the secret can later be rotated.
 */
public final class TokenIssuer {

    private final JWTAuth signer;
    private final JWTOptions options;
    private final Clock clock;

    public TokenIssuer(String secret, Clock clock) {
        this(null, secret, clock);
    }

    /**
     * @param kid    the key id written in each token's header, or {@code null} for none
     * @param secret the HS256 secret
     * @param clock  the clock for {@code iat}, {@code nbf} and {@code exp}
     */
    public TokenIssuer(String kid, String secret, Clock clock) {
        VerificationKey key = VerificationKey.hs256(kid, secret);
        this.signer = new KeyRing(java.util.List.of(key)).current().auth();
        JWTOptions jwtOptions = new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true);
        if (kid != null) {
            jwtOptions.setHeader(new JsonObject().put("kid", kid));
        }
        this.options = jwtOptions;
        this.clock = clock;
    }

    /** A token for {@code grant}, valid from now for {@code ttl}. */
    public String issue(Grant grant, Duration ttl) {
        return mint(grant, ttl, null).token();
    }

    /**
     * A token for {@code grant}, valid from now for {@code ttl} (whole seconds), with its expiry.
     *
     * @param name a display name written as the {@code name} claim, or {@code null} for none
     */
    public IssuedToken mint(Grant grant, Duration ttl, String name) {
        long now = clock.instant().getEpochSecond();
        long exp = now + ttl.toSeconds();
        JsonObject claims = new JsonObject()
                .put("room", grant.room())
                .put("publish", grant.publish())
                .put("subscribe", grant.subscribe())
                .put("admin", grant.admin());
        if (name != null) {
            claims.put("name", name);
        }
        claims.put("iat", now).put("nbf", now).put("exp", exp);
        return new IssuedToken(signer.generateToken(claims, new JWTOptions(options)), Instant.ofEpochSecond(exp));
    }

    /** A compact JWT and the instant its {@code exp} claim names. */
    public record IssuedToken(String token, Instant expiresAt) {
    }
}
