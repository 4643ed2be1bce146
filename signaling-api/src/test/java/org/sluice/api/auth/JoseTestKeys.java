package org.sluice.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Key pairs made with the JDK and tokens signed with the JDK's {@code Signature} (not with the code under test):
 * RS256 is SHA256withRSA, ES256 is SHA256withECDSA in the JOSE (P1363, r||s) form.
 */
public final class JoseTestKeys {

    public final String kid;
    public final String algorithm;
    public final KeyPair pair;

    private JoseTestKeys(String kid, String algorithm, KeyPair pair) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.pair = pair;
    }

    public static JoseTestKeys rsa(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new JoseTestKeys(kid, "RS256", generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JoseTestKeys ec(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new JoseTestKeys(kid, "ES256", generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as a JWK, as an identity provider publishes it. */
    public JsonObject publicJwk() {
        JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig").put("alg", algorithm);
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA").put("n", b64(rsa.getModulus(), 0)).put("e", b64(rsa.getPublicExponent(), 0));
        } else {
            ECPublicKey ec = (ECPublicKey) pair.getPublic();
            jwk.put("kty", "EC").put("crv", "P-256").put("x", b64(ec.getW().getAffineX(), 32))
                    .put("y", b64(ec.getW().getAffineY(), 32));
        }
        return jwk;
    }

    /** The public key as a PEM {@code PUBLIC KEY} block. */
    public String publicPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static String jwks(JoseTestKeys... keys) {
        JsonArray array = new JsonArray();
        for (JoseTestKeys key : keys) {
            array.add(key.publicJwk());
        }
        return new JsonObject().put("keys", array).encodePrettily();
    }

    /** A token with these claims, signed with this key and naming {@code headerKid} (null: no kid). */
    public String sign(JsonObject claims, String headerKid) {
        JsonObject header = new JsonObject().put("alg", algorithm).put("typ", "JWT");
        if (headerKid != null) {
            header.put("kid", headerKid);
        }
        String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(
                    algorithm.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            signature.initSign(pair.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token naming this key's kid. */
    public String sign(JsonObject claims) {
        return sign(claims, kid);
    }

    /** Claims for {@code grant}, valid from {@code nowSeconds} for five minutes. */
    public static JsonObject claims(Grant grant, long nowSeconds) {
        return new JsonObject().put("room", grant.room()).put("publish", grant.publish())
                .put("subscribe", grant.subscribe()).put("admin", grant.admin())
                .put("iat", nowSeconds).put("exp", nowSeconds + 300);
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int size = bytes.length - start;
        byte[] out = new byte[Math.max(size, length)];
        System.arraycopy(bytes, start, out, out.length - size, size);
        return b64(out);
    }
}
