package org.sluice.core.ice;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * An ICE username fragment and password (RFC 8445 §5.3, RFC 8839 §5.4): ice-chars only
 * (ALPHA / DIGIT / "+" / "/"), ufrag 4..256 characters, password 22..256.
 */
public record IceCredentials(String ufrag, String pwd) {

    /** Length of generated ufrags (8 ice-chars, 48 random bits). */
    public static final int GENERATED_UFRAG_LENGTH = 8;
    /** Length of generated passwords (24 ice-chars, 144 random bits). */
    public static final int GENERATED_PWD_LENGTH = 24;

    private static final String ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
    }

    /** Fresh random local credentials. */
    public static IceCredentials generate(SecureRandom random) {
        return new IceCredentials(randomIceChars(random, GENERATED_UFRAG_LENGTH),
                randomIceChars(random, GENERATED_PWD_LENGTH));
    }

    private static String randomIceChars(SecureRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(chars);
    }

    /** Whether both parts have legal characters and lengths. */
    public boolean isWellFormed() {
        return isIceChars(ufrag, 4, 256) && isIceChars(pwd, 22, 256);
    }

    /** Whether {@code s} is {@code min..max} ice-chars. */
    public static boolean isIceChars(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=***]";
    }
}
