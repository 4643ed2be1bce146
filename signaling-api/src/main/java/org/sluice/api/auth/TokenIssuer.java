package org.sluice.api.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Issues HS256 JWTs that {@link JwtVerifier} accepts, for tests and administration. */
public final class TokenIssuer {

    private static final String HEADER = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final Hs256 hs256;
    private final Clock clock;

    public TokenIssuer(String secret, Clock clock) {
        this.hs256 = new Hs256(secret);
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
        String signingInput = HEADER + "." + encode(claims.encode().getBytes(StandardCharsets.UTF_8));
        return new IssuedToken(signingInput + "." + encode(hs256.sign(signingInput)), Instant.ofEpochSecond(exp));
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A compact JWT and the instant its {@code exp} claim names. */
    public record IssuedToken(String token, Instant expiresAt) {
    }
}
