package org.sluice.core.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint} (RFC 8122 §5): a hash function
 * name and the hash of the DER-encoded certificate. Sluice's own fingerprints are SHA-256; remote
 * fingerprints may use sha-1, sha-256, sha-384 or sha-512 (RFC 8122 requires sha-256 support and
 * lists the others as acceptable).
 *
 * <p>Parsing treats the text as hostile: {@link #parse(String)} returns {@code null} for anything
 * malformed and {@link #invalidReason(String)} says why with a constant string. Matching a
 * certificate compares digests in constant time.
 */
public final class DtlsFingerprint {

    /** The hash functions accepted for remote fingerprints. */
    public enum Algorithm {
        SHA_1("sha-1", "SHA-1", 20),
        SHA_256("sha-256", "SHA-256", 32),
        SHA_384("sha-384", "SHA-384", 48),
        SHA_512("sha-512", "SHA-512", 64);

        private final String sdpName;
        private final String jcaName;
        private final int digestLength;

        Algorithm(String sdpName, String jcaName, int digestLength) {
            this.sdpName = sdpName;
            this.jcaName = jcaName;
            this.digestLength = digestLength;
        }

        /** The name used in SDP, e.g. {@code sha-256}. */
        public String sdpName() {
            return sdpName;
        }

        /** Bytes in a digest of this algorithm. */
        public int digestLength() {
            return digestLength;
        }

        byte[] digest(byte[] data) {
            try {
                return MessageDigest.getInstance(jcaName).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jcaName, e);
            }
        }

        static Algorithm fromSdpName(String name) {
            for (Algorithm algorithm : values()) {
                if (algorithm.sdpName.equalsIgnoreCase(name)) {
                    return algorithm;
                }
            }
            return null;
        }
    }

    static final String REASON_NULL = "fingerprint is null";
    static final String REASON_TOO_LONG = "fingerprint text too long";
    static final String REASON_NO_SEPARATOR = "fingerprint lacks 'hash-func SP hex'";
    static final String REASON_UNKNOWN_ALGORITHM = "unsupported fingerprint hash function";
    static final String REASON_BAD_LENGTH = "fingerprint length does not match hash function";
    static final String REASON_BAD_HEX = "fingerprint is not colon-separated hex pairs";

    /** Longest text accepted: "sha-512 " plus 64 hex pairs with colons, with slack for spaces. */
    private static final int MAX_TEXT_LENGTH = 256;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Algorithm algorithm;
    private final byte[] digest;

    private DtlsFingerprint(Algorithm algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** The fingerprint of a DER-encoded certificate with the given hash function. */
    public static DtlsFingerprint of(Algorithm algorithm, byte[] derCertificate) {
        return new DtlsFingerprint(algorithm, algorithm.digest(derCertificate));
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, e.g. {@code "sha-256 AB:CD:..."}
     * (hash name case-insensitive, hex in either case, surrounding whitespace ignored).
     *
     * @return the fingerprint, or {@code null} when the text is not valid (see {@link #invalidReason})
     */
    public static DtlsFingerprint parse(String text) {
        String[] reason = new String[1];
        return parse(text, reason);
    }

    /** Why {@link #parse} rejects the text (a constant string), or {@code null} when it is valid. */
    public static String invalidReason(String text) {
        String[] reason = new String[1];
        parse(text, reason);
        return reason[0];
    }

    private static DtlsFingerprint parse(String text, String[] reason) {
        if (text == null) {
            reason[0] = REASON_NULL;
            return null;
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            reason[0] = REASON_TOO_LONG;
            return null;
        }
        String trimmed = text.strip();
        int space = trimmed.indexOf(' ');
        if (space <= 0) {
            reason[0] = REASON_NO_SEPARATOR;
            return null;
        }
        Algorithm algorithm = Algorithm.fromSdpName(trimmed.substring(0, space));
        if (algorithm == null) {
            reason[0] = REASON_UNKNOWN_ALGORITHM;
            return null;
        }
        String hex = trimmed.substring(space + 1).strip();
        int n = algorithm.digestLength;
        if (hex.length() != n * 3 - 1) {
            reason[0] = REASON_BAD_LENGTH;
            return null;
        }
        byte[] digest = new byte[n];
        for (int i = 0; i < n; i++) {
            int at = i * 3;
            int hi = Character.digit(hex.charAt(at), 16);
            int lo = Character.digit(hex.charAt(at + 1), 16);
            boolean separatorOk = i == n - 1 || hex.charAt(at + 2) == ':';
            if (hi < 0 || lo < 0 || !separatorOk) {
                reason[0] = REASON_BAD_HEX;
                return null;
            }
            digest[i] = (byte) (hi << 4 | lo);
        }
        return new DtlsFingerprint(algorithm, digest);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** A copy of the digest bytes. */
    public byte[] digest() {
        return digest.clone();
    }

    /**
     * True when this fingerprint is the hash of the given DER certificate. The digest comparison
     * takes the same time wherever the bytes differ ({@link MessageDigest#isEqual}).
     */
    public boolean matches(byte[] derCertificate) {
        if (derCertificate == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, algorithm.digest(derCertificate));
    }

    /** The SDP text form: {@code "sha-256 AB:CD:..."} with upper-case hex. */
    public String toSdp() {
        StringBuilder sb = new StringBuilder(algorithm.sdpName.length() + 1 + digest.length * 3);
        sb.append(algorithm.sdpName).append(' ');
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint other
                && other.algorithm == algorithm
                && MessageDigest.isEqual(other.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
