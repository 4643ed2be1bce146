package org.sluice.core.sdp;

import java.util.ArrayList;
import java.util.List;

/** Bounds-checked helpers for reading SDP tokens; none of them throws. */
final class Tokens {

    private Tokens() {
    }

    /**
     * The unsigned decimal in {@code s[from, to)} if it is 1..10 digits and at most {@code max}, else -1.
     */
    static long parseUnsigned(String s, int from, int to, long max) {
        if (s == null || from < 0 || to > s.length() || from >= to || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /** {@link #parseUnsigned(String, int, int, long)} over a whole string. */
    static long parseUnsigned(String s, long max) {
        return s == null ? -1 : parseUnsigned(s, 0, s.length(), max);
    }

    /** Splits on single spaces, rejecting nothing: empty tokens (double spaces) are dropped; at most {@code max} tokens + rest. */
    static List<String> splitSpaces(String s, int max) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n && out.size() < max) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int j = i;
            while (j < n && s.charAt(j) != ' ') {
                j++;
            }
            out.add(s.substring(i, j));
            i = j;
        }
        return out;
    }

    /** RFC 8866 token-char: visible ASCII except a few separators. */
    static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    static boolean isToken(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Visible ASCII (0x21-0x7E) only, non-empty, bounded. */
    static boolean isVisible(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** ICE ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean isIceChars(String s, int minLength, int maxLength) {
        if (s == null || s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A short, printable excerpt of hostile text for error messages. */
    static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (s.length() > 40) {
            sb.append("...");
        }
        return sb.toString();
    }
}
