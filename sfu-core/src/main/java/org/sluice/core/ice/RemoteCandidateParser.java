package org.sluice.core.ice;

import java.util.Locale;

/**
 * Parses candidate attributes (RFC 8839 §5.1, RFC 6544 §4.5) such as
 * {@code candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host generation 0}, with or without
 * {@code a=}. Hostile input in, a {@link CandidateParseResult} out: a malformed line yields a
 * constant reason, never an exception. Unknown extension attributes are skipped; transports
 * other than UDP and TCP are rejected as unsupported.
 */
public final class RemoteCandidateParser {

    /** Longest line accepted. */
    public static final int MAX_LENGTH = 1024;
    private static final int MAX_TOKENS = 64;

    static final String NULL_INPUT = "no candidate";
    static final String TOO_LONG = "candidate line too long";
    static final String NOT_A_CANDIDATE = "not a candidate attribute";
    static final String TOO_FEW_FIELDS = "too few fields";
    static final String TOO_MANY_FIELDS = "too many fields";
    static final String BAD_FOUNDATION = "foundation is not 1-32 ice-chars";
    static final String BAD_COMPONENT = "component id is not 1-256";
    static final String UNSUPPORTED_TRANSPORT = "unsupported transport";
    static final String BAD_PRIORITY = "priority is not 1..2^32-1";
    static final String BAD_ADDRESS = "malformed connection address";
    static final String BAD_PORT = "port is not 0-65535";
    static final String MISSING_TYP = "missing typ";
    static final String UNKNOWN_TYPE = "unknown candidate type";
    static final String DANGLING_EXTENSION = "extension name without value";
    static final String BAD_RELATED_ADDRESS = "malformed raddr";
    static final String BAD_RELATED_PORT = "malformed rport";
    static final String BAD_TCPTYPE = "unknown tcptype";
    static final String TCP_WITHOUT_TCPTYPE = "tcp candidate without tcptype";

    private RemoteCandidateParser() {
    }

    /** Parses one candidate attribute. */
    public static CandidateParseResult parse(String line) {
        if (line == null) {
            return CandidateParseResult.rejected(NULL_INPUT);
        }
        if (line.length() > MAX_LENGTH) {
            return CandidateParseResult.rejected(TOO_LONG);
        }
        String text = line.strip();
        if (text.startsWith("a=")) {
            text = text.substring(2);
        }
        if (!text.startsWith("candidate:")) {
            return CandidateParseResult.rejected(NOT_A_CANDIDATE);
        }
        String[] tokens = new String[MAX_TOKENS];
        int count = tokenize(text.substring("candidate:".length()), tokens);
        if (count < 0) {
            return CandidateParseResult.rejected(TOO_MANY_FIELDS);
        }
        if (count < 8) {
            return CandidateParseResult.rejected(TOO_FEW_FIELDS);
        }
        String foundation = tokens[0];
        if (!IceCredentials.isIceChars(foundation, 1, 32)) {
            return CandidateParseResult.rejected(BAD_FOUNDATION);
        }
        long component = parseDigits(tokens[1], 3);
        if (component < 1 || component > 256) {
            return CandidateParseResult.rejected(BAD_COMPONENT);
        }
        TransportKind transport = transport(tokens[2]);
        if (transport == null) {
            return CandidateParseResult.rejected(UNSUPPORTED_TRANSPORT);
        }
        long priority = parseDigits(tokens[3], 10);
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            return CandidateParseResult.rejected(BAD_PRIORITY);
        }
        String address = tokens[4];
        if (!isConnectionAddress(address)) {
            return CandidateParseResult.rejected(BAD_ADDRESS);
        }
        int port = parsePort(tokens[5]);
        if (port < 0) {
            return CandidateParseResult.rejected(BAD_PORT);
        }
        if (!"typ".equals(tokens[6])) {
            return CandidateParseResult.rejected(MISSING_TYP);
        }
        CandidateType type = CandidateType.fromSdp(tokens[7]);
        if (type == null) {
            return CandidateParseResult.rejected(UNKNOWN_TYPE);
        }
        String relatedAddress = null;
        int relatedPort = -1;
        TcpType tcpType = null;
        for (int i = 8; i < count; i += 2) {
            if (i + 1 >= count) {
                return CandidateParseResult.rejected(DANGLING_EXTENSION);
            }
            String name = tokens[i];
            String value = tokens[i + 1];
            if ("raddr".equals(name)) {
                if (!isConnectionAddress(value)) {
                    return CandidateParseResult.rejected(BAD_RELATED_ADDRESS);
                }
                relatedAddress = value;
            } else if ("rport".equals(name)) {
                relatedPort = parsePort(value);
                if (relatedPort < 0) {
                    return CandidateParseResult.rejected(BAD_RELATED_PORT);
                }
            } else if ("tcptype".equals(name)) {
                tcpType = TcpType.fromSdp(value);
                if (tcpType == null) {
                    return CandidateParseResult.rejected(BAD_TCPTYPE);
                }
            }
        }
        if (transport == TransportKind.TCP && tcpType == null) {
            return CandidateParseResult.rejected(TCP_WITHOUT_TCPTYPE);
        }
        if (transport == TransportKind.UDP) {
            tcpType = null;
        }
        return CandidateParseResult.accepted(new RemoteCandidate(foundation, (int) component, transport, priority,
                address, port, type, relatedAddress, relatedPort, tcpType));
    }

    /** Splits on spaces and tabs; returns the count, or -1 if there are more than the array holds. */
    private static int tokenize(String text, String[] tokens) {
        int count = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isBlank(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int begin = i;
            while (i < n && !isBlank(text.charAt(i))) {
                i++;
            }
            if (count == tokens.length) {
                return -1;
            }
            tokens[count++] = text.substring(begin, i);
        }
        return count;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static TransportKind transport(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        if ("udp".equals(lower)) {
            return TransportKind.UDP;
        }
        if ("tcp".equals(lower)) {
            return TransportKind.TCP;
        }
        return null;
    }

    /** Non-negative decimal of at most {@code maxDigits} digits, or -1. */
    private static long parseDigits(String token, int maxDigits) {
        if (token.isEmpty() || token.length() > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int parsePort(String token) {
        long port = parseDigits(token, 5);
        return port > 65535 ? -1 : (int) port;
    }

    /** An IPv4 literal, an IPv6 literal, or a hostname (e.g. an mDNS name). */
    static boolean isConnectionAddress(String s) {
        return isIpLiteral(s) || isHostname(s);
    }

    static boolean isIpLiteral(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    static boolean isIpv4(String s) {
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int begin = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - begin < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == begin || value > 255) {
                return false;
            }
            parts++;
            if (i == n) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return false;
    }

    /** Loose IPv6 text check: hex digits, colons (at most one "::"), an optional dotted IPv4 tail. */
    static boolean isIpv6(String s) {
        int n = s.length();
        if (n < 2 || n > 45 || s.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int groups = 0;
        int groupLength = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (groupLength > 0) {
                    groups++;
                }
                groupLength = 0;
            } else if (Character.digit(c, 16) >= 0 && c < 128) {
                if (++groupLength > 4) {
                    return false;
                }
            } else if (c == '.') {
                int lastColon = s.lastIndexOf(':');
                return lastColon < i && isIpv4(s.substring(lastColon + 1)) && groups <= 6;
            } else {
                return false;
            }
        }
        if (groupLength > 0) {
            groups++;
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    /**
     * RFC 1123 hostname: labels of letters, digits and hyphens, 1..63 each, 253 total; the last label
     * is not all digits (so a malformed IPv4 literal is not taken for a name).
     */
    static boolean isHostname(String s) {
        int n = s.length();
        if (n == 0 || n > 253) {
            return false;
        }
        int labelLength = 0;
        boolean labelHasNonDigit = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (labelLength == 0 || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelLength = 0;
                labelHasNonDigit = false;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c == '-' && labelLength > 0)) {
                if (++labelLength > 63) {
                    return false;
                }
                labelHasNonDigit |= c < '0' || c > '9';
            } else {
                return false;
            }
        }
        return labelLength > 0 && labelHasNonDigit && s.charAt(n - 1) != '-';
    }
}
