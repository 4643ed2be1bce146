package org.sluice.api.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo): an RSA key becomes an RS256
 * {@link VerificationKey}, a P-256 EC key an ES256 one. Anything else is a {@link KeyFormatException}.
 */
public final class PemPublicKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]{1,16384})-----END PUBLIC KEY-----");
    private static final int MIN_RSA_BITS = 2048;

    private PemPublicKeys() {
    }

    /**
     * @param kid    the key id tokens name in their header, or {@code null}
     * @param pem    the file's text
     * @param origin where the text came from, for the error message
     */
    public static VerificationKey parse(String kid, String pem, String origin) throws KeyFormatException {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new KeyFormatException(origin + " has no PEM 'PUBLIC KEY' block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1).strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(origin + ": the PEM block is not base64");
        }
        PublicKey key = decode(der, origin);
        JsonObject jwk;
        String algorithm;
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new KeyFormatException(origin + ": the RSA key has fewer than " + MIN_RSA_BITS + " bits");
            }
            algorithm = "RS256";
            jwk = new JsonObject().put("kty", "RSA")
                    .put("n", unsigned(rsa.getModulus(), 0))
                    .put("e", unsigned(rsa.getPublicExponent(), 0));
        } else if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new KeyFormatException(origin + ": the EC key is not on P-256 (ES256)");
            }
            algorithm = "ES256";
            jwk = new JsonObject().put("kty", "EC").put("crv", "P-256")
                    .put("x", unsigned(ec.getW().getAffineX(), 32))
                    .put("y", unsigned(ec.getW().getAffineY(), 32));
        } else {
            throw new KeyFormatException(origin + ": the key is neither RSA nor EC");
        }
        jwk.put("alg", algorithm).put("use", "sig");
        if (kid != null) {
            jwk.put("kid", kid);
        }
        return new VerificationKey(kid, algorithm, jwk);
    }

    private static PublicKey decode(byte[] der, String origin) throws KeyFormatException {
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException | RuntimeException e) {
                // try the next type
            }
        }
        throw new KeyFormatException(origin + ": the PEM block is not an RSA or EC public key");
    }

    /** Base64url of the big-endian magnitude, left-padded to {@code length} bytes when that is not 0. */
    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int size = bytes.length - start;
        byte[] out = new byte[Math.max(size, length)];
        System.arraycopy(bytes, start, out, out.length - size, size);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
