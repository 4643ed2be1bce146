package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {

    /** The example of RFC 4572 §5 (carried into RFC 8122). */
    private static final String RFC_EXAMPLE = "SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB";

    /** SHA-256("abc"), FIPS 180-2 appendix B.1. */
    private static final String SHA256_ABC =
            "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

    @Test
    void parsesTheRfcExample() {
        DtlsFingerprint fingerprint = DtlsFingerprint.parse(RFC_EXAMPLE);

        assertThat(fingerprint).isNotNull();
        assertThat(fingerprint.algorithm()).isEqualTo(DtlsFingerprint.Algorithm.SHA_1);
        assertThat(fingerprint.digest()).hasSize(20).startsWith((byte) 0x4A, (byte) 0xAD).endsWith((byte) 0xAB);
        assertThat(fingerprint.toSdp()).isEqualTo(RFC_EXAMPLE.replace("SHA-1", "sha-1"));
        assertThat(DtlsFingerprint.invalidReason(RFC_EXAMPLE)).isNull();
    }

    @Test
    void computesAndMatchesKnownSha256() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        DtlsFingerprint computed = DtlsFingerprint.of(DtlsFingerprint.Algorithm.SHA_256, abc);

        assertThat(computed.toSdp()).isEqualTo(SHA256_ABC);
        assertThat(DtlsFingerprint.parse(SHA256_ABC)).isEqualTo(computed).hasSameHashCodeAs(computed);
        assertThat(DtlsFingerprint.parse(SHA256_ABC).matches(abc)).isTrue();
        assertThat(DtlsFingerprint.parse(SHA256_ABC).matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(DtlsFingerprint.parse(SHA256_ABC).matches(null)).isFalse();
    }

    @Test
    void acceptsEveryListedHashFunctionCaseInsensitively() {
        byte[] data = {1, 2, 3};
        for (DtlsFingerprint.Algorithm algorithm : DtlsFingerprint.Algorithm.values()) {
            DtlsFingerprint fingerprint = DtlsFingerprint.of(algorithm, data);
            String upper = fingerprint.toSdp().toUpperCase();
            String lower = fingerprint.toSdp().toLowerCase();

            assertThat(fingerprint.digest()).hasSize(algorithm.digestLength());
            assertThat(DtlsFingerprint.parse(upper)).isEqualTo(fingerprint);
            assertThat(DtlsFingerprint.parse("  " + lower + "\t")).isEqualTo(fingerprint);
            assertThat(DtlsFingerprint.parse(upper).matches(data)).isTrue();
        }
    }

    @Test
    void rejectsMalformedTextWithConstantReasons() {
        String validHex = SHA256_ABC.substring("sha-256 ".length());
        assertThat(DtlsFingerprint.invalidReason(null)).isEqualTo(DtlsFingerprint.REASON_NULL);
        assertThat(DtlsFingerprint.invalidReason("")).isEqualTo(DtlsFingerprint.REASON_NO_SEPARATOR);
        assertThat(DtlsFingerprint.invalidReason("sha-256")).isEqualTo(DtlsFingerprint.REASON_NO_SEPARATOR);
        assertThat(DtlsFingerprint.invalidReason("md5 " + validHex)).isEqualTo(DtlsFingerprint.REASON_UNKNOWN_ALGORITHM);
        assertThat(DtlsFingerprint.invalidReason("sha-1 " + validHex)).isEqualTo(DtlsFingerprint.REASON_BAD_LENGTH);
        assertThat(DtlsFingerprint.invalidReason("sha-256 " + validHex + ":00"))
                .isEqualTo(DtlsFingerprint.REASON_BAD_LENGTH);
        assertThat(DtlsFingerprint.invalidReason("sha-256 " + validHex.replace(':', '-')))
                .isEqualTo(DtlsFingerprint.REASON_BAD_HEX);
        assertThat(DtlsFingerprint.invalidReason("sha-256 " + validHex.replace('B', 'G')))
                .isEqualTo(DtlsFingerprint.REASON_BAD_HEX);
        assertThat(DtlsFingerprint.invalidReason("sha-256 " + "A".repeat(300))).isEqualTo(DtlsFingerprint.REASON_TOO_LONG);
        assertThat(DtlsFingerprint.parse("sha-256 " + validHex.replace('B', 'G'))).isNull();
    }

    @Test
    void constantTimeComparisonStillDistinguishesEveryByte() {
        byte[] data = "certificate".getBytes(StandardCharsets.US_ASCII);
        DtlsFingerprint reference = DtlsFingerprint.of(DtlsFingerprint.Algorithm.SHA_256, data);
        String sdp = reference.toSdp();
        String hex = sdp.substring(8);
        for (int i = 0; i < 32; i++) {
            char[] chars = hex.toCharArray();
            chars[i * 3] = chars[i * 3] == '0' ? '1' : '0';
            DtlsFingerprint altered = DtlsFingerprint.parse("sha-256 " + new String(chars));
            assertThat(altered.matches(data)).as("byte %d", i).isFalse();
            assertThat(altered).isNotEqualTo(reference);
        }
    }

    @Test
    void fuzzedTextNeverThrowsAndAcceptedTextRoundTrips() {
        SplittableRandom random = new SplittableRandom(8122);
        String alphabet = "0123456789abcdefABCDEFG:: -shaSHA\t\n\u00e9";
        String valid = SHA256_ABC;
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            String text;
            switch (i % 4) {
                case 0 -> text = randomText(random, alphabet, random.nextInt(0, 120));
                case 1 -> text = valid.substring(0, random.nextInt(0, valid.length() + 1));
                case 2 -> {
                    char[] chars = valid.toCharArray();
                    chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
                    text = new String(chars);
                }
                default -> text = valid + randomText(random, alphabet, random.nextInt(0, 300));
            }
            DtlsFingerprint parsed = DtlsFingerprint.parse(text);
            String reason = DtlsFingerprint.invalidReason(text);
            assertThat(parsed == null).isEqualTo(reason != null);
            if (parsed != null) {
                accepted++;
                assertThat(DtlsFingerprint.parse(parsed.toSdp())).isEqualTo(parsed);
                assertThat(parsed.digest()).hasSize(parsed.algorithm().digestLength());
            }
        }
        assertThat(accepted).isPositive();
    }

    private static String randomText(SplittableRandom random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
