package org.sluice.api.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Verifies compact HS256 JWTs (RFC 7519) signed with the server's shared secret. Only
 * {@code "alg": "HS256"} is accepted ({@code none} and every other algorithm are refused); the
 * signature is compared in constant time; {@code exp} is required and {@code nbf} honoured, both
 * with a small leeway against the injected clock. Claims: {@code room} (a name or {@code "*"}),
 * {@code publish}, {@code subscribe} and {@code admin} (booleans, false when absent). Never throws on bad input:
 * the result carries a constant reason instead.
 */
public final class JwtVerifier {

    /** Leeway for {@code exp} and {@code nbf} against clock skew. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

    private static final int MAX_TOKEN_LENGTH = 8192;

    private final Hs256 hs256;
    private final Clock clock;
    private final long leewaySeconds;

    public JwtVerifier(String secret, Clock clock) {
        this(secret, clock, DEFAULT_LEEWAY);
    }

    public JwtVerifier(String secret, Clock clock, Duration leeway) {
        this.hs256 = new Hs256(secret);
        this.clock = clock;
        this.leewaySeconds = leeway.toSeconds();
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
        if (header == null) {
            return TokenCheck.rejected("token header is not valid");
        }
        if (!"HS256".equals(header.getValue("alg"))) {
            return TokenCheck.rejected("token algorithm is not HS256");
        }
        byte[] signature = decodeBase64(token.substring(secondDot + 1));
        byte[] expected = hs256.sign(token.substring(0, secondDot));
        if (signature == null || !MessageDigest.isEqual(signature, expected)) {
            return TokenCheck.rejected("token signature is not valid");
        }
        JsonObject claims = decodeJson(token.substring(firstDot + 1, secondDot));
        if (claims == null) {
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
