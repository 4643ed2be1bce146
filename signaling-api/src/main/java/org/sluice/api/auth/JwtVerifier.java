package org.sluice.api.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Verifies compact JWTs (RFC 7519) through vertx-auth-jwt against the keys of a {@link KeyRing}: HS256 shared
 * secrets, RS256 and ES256 public keys, each optionally named by {@code kid}. Only algorithms of configured keys
 * are accepted ({@code none} never); a token naming a {@code kid} is checked with that key alone. {@code exp} is
 * required and {@code nbf} honoured, both with a small leeway against the injected clock; {@code iss} and
 * {@code aud} are checked when configured. Claims: {@code room} (a name or {@code "*"}), {@code publish},
 * {@code subscribe} and {@code admin} (booleans, false when absent). Never throws on bad input: the result carries
 * a constant reason instead.
 */
public final class JwtVerifier {

    /** Leeway for {@code exp} and {@code nbf} against clock skew. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

    /** The signature algorithms a configured key may have. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("HS256", "RS256", "ES256");

    private static final int MAX_TOKEN_LENGTH = 8192;

    private final KeyRing keys;
    private final Clock clock;
    private final long leewaySeconds;
    private final ClaimRules rules;

    /** A verifier for one kid-less HS256 secret. */
    public JwtVerifier(String secret, Clock clock) {
        this(secret, clock, DEFAULT_LEEWAY);
    }

    /** A verifier for one kid-less HS256 secret with the given leeway. */
    public JwtVerifier(String secret, Clock clock, Duration leeway) {
        this(KeyRing.ofSecret(secret), clock, leeway, ClaimRules.NONE);
    }

    /**
     * @param keys   the keys in force (read on every call, so a refreshed JWKS applies at once)
     * @param clock  the clock {@code exp} and {@code nbf} are checked against
     * @param leeway allowed clock skew
     * @param rules  issuer and audience the token must name, if any
     */
    public JwtVerifier(KeyRing keys, Clock clock, Duration leeway, ClaimRules rules) {
        this.keys = keys;
        this.clock = clock;
        this.leewaySeconds = leeway.toSeconds();
        this.rules = rules;
    }

    /** Verifies a compact JWT (the part after {@code Bearer }). */
    public TokenCheck verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return TokenCheck.rejected("token missing or too long");
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return TokenCheck.rejected("token is not a compact JWT");
        }
        JsonObject header = decodeJson(token.substring(0, firstDot));
        if (header == null || (header.getValue("kid") != null && !(header.getValue("kid") instanceof String))) {
            return TokenCheck.rejected("token header is not valid");
        }
        KeyRing.Snapshot snapshot = keys.current();
        Object alg = header.getValue("alg");
        if (!(alg instanceof String algorithm) || !SUPPORTED_ALGORITHMS.contains(algorithm)
                || !snapshot.algorithms().contains(algorithm)) {
            return TokenCheck.rejected("token algorithm is not accepted");
        }
        if (decodeBase64(token.substring(secondDot + 1)) == null) {
            return TokenCheck.rejected("token signature is not valid");
        }
        Future<User> checked;
        try {
            checked = snapshot.auth().authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            return TokenCheck.rejected("token is not valid");
        }
        if (!checked.isComplete()) {
            return TokenCheck.rejected("token could not be checked");
        }
        if (checked.failed()) {
            Throwable cause = checked.cause();
            if (cause instanceof NoSuchKeyIdException) {
                return TokenCheck.rejected("token key id is not known");
            }
            return TokenCheck.rejected("token signature is not valid");
        }
        Object payload = checked.result().attributes().getValue("accessToken");
        if (!(payload instanceof JsonObject claims)) {
            return TokenCheck.rejected("token claims are not valid");
        }
        return checkClaims(claims);
    }

    private TokenCheck checkClaims(JsonObject claims) {
        long now = clock.instant().getEpochSecond();
        Object exp = claims.getValue("exp");
        if (!(exp instanceof Number expiry)) {
            return TokenCheck.rejected("token has no numeric exp");
        }
        if (now > expiry.longValue() + leewaySeconds) {
            return TokenCheck.rejected("token has expired");
        }
        Object nbf = claims.getValue("nbf");
        if (nbf != null) {
            if (!(nbf instanceof Number notBefore)) {
                return TokenCheck.rejected("token nbf is not numeric");
            }
            if (now + leewaySeconds < notBefore.longValue()) {
                return TokenCheck.rejected("token is not valid yet");
            }
        }
        if (!rules.accepts(claims)) {
            return TokenCheck.rejected("token issuer or audience is not accepted");
        }
        Object room = claims.getValue("room");
        if (!(room instanceof String roomName) || roomName.isEmpty()) {
            return TokenCheck.rejected("token has no room claim");
        }
        Object publish = claims.getValue("publish");
        Object subscribe = claims.getValue("subscribe");
        if ((publish != null && !(publish instanceof Boolean)) || (subscribe != null && !(subscribe instanceof Boolean))) {
            return TokenCheck.rejected("token publish/subscribe claims are not booleans");
        }
        Object admin = claims.getValue("admin");
        if (admin != null && !(admin instanceof Boolean)) {
            return TokenCheck.rejected("token admin claim is not a boolean");
        }
        return TokenCheck.valid(new Grant(roomName, Boolean.TRUE.equals(publish), Boolean.TRUE.equals(subscribe),
                Boolean.TRUE.equals(admin)));
    }

    private static JsonObject decodeJson(String part) {
        byte[] bytes = decodeBase64(part);
        if (bytes == null) {
            return null;
        }
        try {
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static byte[] decodeBase64(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
