package org.sluice.rtp.ext;

import java.nio.charset.StandardCharsets;

/**
 * SDES-item extensions carried as text: {@code mid} (RFC 9143), {@code rid} and
 * {@code repaired-rid} (RFC 8852). The hot path compares against an expected value without
 * allocating; {@link #toString(HeaderExtensions, int)} allocates and is for the control plane.
 */
public final class SdesExtension {

    private SdesExtension() {
    }

    /**
     * Whether element {@code id} is present and its bytes equal the characters of {@code expected}
     * (compared as US-ASCII; a non-ASCII character never matches).
     */
    public static boolean matches(HeaderExtensions ext, int id, CharSequence expected) {
        int h = ext.find(id);
        if (h < 0 || expected == null) {
            return false;
        }
        int len = ext.lengthAt(h);
        if (len != expected.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((ext.buffer().getByte(h + i) & 0xFF) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether element {@code id} is present and its bytes equal {@code expected}. */
    public static boolean matches(HeaderExtensions ext, int id, byte[] expected) {
        int h = ext.find(id);
        if (h < 0 || expected == null || ext.lengthAt(h) != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (ext.buffer().getByte(h + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The value of element {@code id} as a string (allocates), or {@code null} when absent. */
    public static String toString(HeaderExtensions ext, int id) {
        int h = ext.find(id);
        if (h < 0) {
            return null;
        }
        return ext.buffer().toString(h, ext.lengthAt(h), StandardCharsets.US_ASCII);
    }
}
