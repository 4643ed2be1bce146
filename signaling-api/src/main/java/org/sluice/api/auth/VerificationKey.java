package org.sluice.api.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * One key that may sign tokens, as a JSON Web Key (RFC 7517) that vertx-auth-jwt loads: an HS256 shared secret
 * ({@code kty: oct}), an RS256 RSA public key or an ES256 P-256 public key. {@code kid} names it for rotation
 * ({@code null}: the key is tried for tokens of its algorithm whatever their {@code kid}).
 *
 * @param kid       the key id, or {@code null}
 * @param algorithm {@code HS256}, {@code RS256} or {@code ES256}
 * @param jwk       the key as a JWK with {@code alg} (and {@code kid} when named) set
 */
public record VerificationKey(String kid, String algorithm, JsonObject jwk) {

    public VerificationKey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(jwk, "jwk");
        jwk = jwk.copy();
    }

    /** An HS256 key from a shared secret (its UTF-8 bytes are the HMAC key). */
    public static VerificationKey hs256(String kid, String secret) {
        JsonObject jwk = new JsonObject()
                .put("kty", "oct")
                .put("alg", "HS256")
                .put("use", "sig")
                .put("k", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        if (kid != null) {
            jwk.put("kid", kid);
        }
        return new VerificationKey(kid, "HS256", jwk);
    }

    @Override
    public JsonObject jwk() {
        return jwk.copy();
    }

    /** What a log line may say about this key: never the key material. */
    public String describe() {
        return algorithm + (kid == null ? "" : " kid=" + kid);
    }

    @Override
    public String toString() {
        return "VerificationKey[" + describe() + "]";
    }
}
