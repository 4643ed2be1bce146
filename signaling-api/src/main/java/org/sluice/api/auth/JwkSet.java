package org.sluice.api.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a JSON Web Key Set (RFC 7517 section 5) into {@link VerificationKey}s. Signing keys of type RSA (RS256),
 * EC P-256 (ES256) and oct (HS256) are kept; keys for encryption ({@code use: enc}) or for other algorithms are
 * left out. A missing {@code alg} is taken from the key type. The text is untrusted (it may come from a URL):
 * size and key count are bounded, and anything malformed is a {@link KeyFormatException}.
 */
public final class JwkSet {

    /** Largest JWKS accepted, in characters. */
    public static final int MAX_CHARS = 256 * 1024;
    /** Most keys accepted from one JWKS. */
    public static final int MAX_KEYS = 64;

    private JwkSet() {
    }

    /**
     * @param json   the JWKS document
     * @param origin where it came from, for error messages
     */
    public static List<VerificationKey> parse(String json, String origin) throws KeyFormatException {
        if (json == null || json.length() > MAX_CHARS) {
            throw new KeyFormatException(origin + ": the JWKS is empty or larger than " + MAX_CHARS + " characters");
        }
        JsonArray keys;
        try {
            Object parsed = new JsonObject(json).getValue("keys");
            if (!(parsed instanceof JsonArray array)) {
                throw new KeyFormatException(origin + ": the JWKS has no \"keys\" array");
            }
            keys = array;
        } catch (DecodeException | ClassCastException e) {
            throw new KeyFormatException(origin + ": the JWKS is not a JSON object");
        }
        if (keys.size() > MAX_KEYS) {
            throw new KeyFormatException(origin + ": the JWKS has more than " + MAX_KEYS + " keys");
        }
        List<VerificationKey> result = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!(keys.getValue(i) instanceof JsonObject jwk)) {
                throw new KeyFormatException(origin + ": key " + i + " of the JWKS is not an object");
            }
            VerificationKey key = signingKey(jwk, origin + " key " + i);
            if (key != null) {
                result.add(key);
            }
        }
        return result;
    }

    private static VerificationKey signingKey(JsonObject jwk, String where) throws KeyFormatException {
        Object use = jwk.getValue("use");
        if (use != null && !"sig".equals(use)) {
            return null;
        }
        String kty = string(jwk, "kty", where);
        Object kidValue = jwk.getValue("kid");
        if (kidValue != null && !(kidValue instanceof String)) {
            throw new KeyFormatException(where + ": \"kid\" is not a string");
        }
        String kid = (String) kidValue;
        Object alg = jwk.getValue("alg");
        String algorithm;
        JsonObject clean = new JsonObject().put("kty", kty).put("use", "sig");
        switch (kty) {
            case "RSA" -> {
                algorithm = "RS256";
                clean.put("n", base64url(jwk, "n", where, 256)).put("e", base64url(jwk, "e", where, 1));
            }
            case "EC" -> {
                if (!"P-256".equals(jwk.getValue("crv"))) {
                    return null;
                }
                algorithm = "ES256";
                clean.put("crv", "P-256").put("x", base64url(jwk, "x", where, 32)).put("y", base64url(jwk, "y", where, 32));
            }
            case "oct" -> {
                algorithm = "HS256";
                clean.put("k", base64url(jwk, "k", where, 16));
            }
            default -> {
                return null;
            }
        }
        if (alg != null && !algorithm.equals(alg)) {
            return null;
        }
        clean.put("alg", algorithm);
        if (kid != null) {
            clean.put("kid", kid);
        }
        return new VerificationKey(kid, algorithm, clean);
    }

    private static String string(JsonObject jwk, String name, String where) throws KeyFormatException {
        if (!(jwk.getValue(name) instanceof String value) || value.isEmpty()) {
            throw new KeyFormatException(where + ": \"" + name + "\" is missing or not a string");
        }
        return value;
    }

    private static String base64url(JsonObject jwk, String name, String where, int minBytes)
            throws KeyFormatException {
        String value = string(jwk, name, where);
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(where + ": \"" + name + "\" is not base64url");
        }
        if (bytes.length < minBytes) {
            throw new KeyFormatException(where + ": \"" + name + "\" is shorter than " + minBytes + " bytes");
        }
        return value;
    }
}
