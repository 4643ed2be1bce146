package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.stun.StunTestBytes.direct;
import static org.sluice.core.stun.StunTestBytes.hex;

/**
 * RFC 5769 test vectors (transcribed from the RFC's sections 2.1-2.4), and the RFC 8489 Appendix B.1
 * MESSAGE-INTEGRITY-SHA256 vector as corrected by errata 6268.
 */
class Rfc5769VectorsTest {

    /** §2.1: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME "evtj:h6vY", MESSAGE-INTEGRITY, FINGERPRINT. */
    static final String SAMPLE_REQUEST = """
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf
            """;
    /** §2.2: XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final String IPV4_RESPONSE = """
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96
            """;
    /** §2.3: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    static final String IPV6_RESPONSE = """
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c
            """;
    /** §2.4: USERNAME (6 katakana), NONCE, REALM "example.org", long-term MESSAGE-INTEGRITY, no FINGERPRINT. */
    static final String LONG_TERM_REQUEST = """
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
            """;
    /** RFC 8489 B.1 (errata 6268): USERHASH, NONCE, REALM, PASSWORD-ALGORITHM SHA-256, MESSAGE-INTEGRITY-SHA256. */
    static final String RFC8489_SHA256_REQUEST = """
            00 01 00 90 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 1e 00 20 4a 3c f3 8f ef 69 92 bd a9 52 c6 78 04 17 da 0f 24 81 94 15 56 9e 60 b2 05 c4 6e 41 40 7f 17 04
            00 15 00 29 6f 62 4d 61 74 4a 6f 73 32 41 41 41 43 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34
                        6f 4c 39 46 53 54 76 79 36 34 73 41 00 00 00
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 1d 00 04 00 02 00 00
            00 1c 00 20 b5 c7 bf 00 5b 6c 52 a2 1c 51 c5 e8 92 f8 19 24 13 62 96 cb 92 7c 43 14 93 09 27 8c c6 51 8e 65
            """;

    static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final byte[] TRANSACTION_ID = hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
    static final String KATAKANA_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    private final StunMessage message = new StunMessage();
    private final StunFingerprint fingerprint = new StunFingerprint();

    @Test
    void sampleRequestVerifies() {
        ByteBuf buf = direct(hex(SAMPLE_REQUEST));
        try {
            assertThat(message.wrap(buf)).as(message.invalidReason()).isTrue();
            assertThat(message.isBindingRequest()).isTrue();
            assertThat(message.messageClass()).isEqualTo(StunMessageType.CLASS_REQUEST);
            assertThat(message.transactionIdEquals(TRANSACTION_ID)).isTrue();
            assertThat(message.attributeString(StunAttribute.SOFTWARE)).isEqualTo("STUN test client");
            assertThat(message.attributeString(StunAttribute.USERNAME)).isEqualTo("evtj:h6vY");
            assertThat(message.priority()).isEqualTo(0x6e0001ffL);
            assertThat(message.hasTieBreaker(StunAttribute.ICE_CONTROLLED)).isTrue();
            assertThat(message.tieBreaker(StunAttribute.ICE_CONTROLLED)).isEqualTo(0x932ff9b151263b36L);
            assertThat(message.has(StunAttribute.ICE_CONTROLLING)).isFalse();
            assertThat(StunMessages.localUfrag(message)).isEqualTo("evtj");
            assertThat(fingerprint.verify(message)).isTrue();
            StunIntegrity integrity = StunIntegrity.shortTerm(SHORT_TERM_PASSWORD);
            assertThat(integrity.verify(message)).isEqualTo(IntegrityCheck.VALID);
            assertThat(StunIntegrity.shortTerm("VOkJxbRl1RmTxUk/WvJxBu").verify(message))
                    .isEqualTo(IntegrityCheck.MISMATCH);
        } finally {
            buf.release();
        }
    }

    @Test
    void ipv4ResponseVerifiesAndDecodes() throws Exception {
        ByteBuf buf = direct(hex(IPV4_RESPONSE));
        try {
            assertThat(message.wrap(buf)).as(message.invalidReason()).isTrue();
            assertThat(message.messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
            assertThat(message.transactionIdEquals(TRANSACTION_ID)).isTrue();
            assertThat(message.attributeString(StunAttribute.SOFTWARE)).isEqualTo("test vector");
            assertThat(message.xorMappedAddress())
                    .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
            assertThat(fingerprint.verify(message)).isTrue();
            assertThat(StunIntegrity.shortTerm(SHORT_TERM_PASSWORD).verifySha1(message)).isTrue();
        } finally {
            buf.release();
        }
    }

    @Test
    void ipv6ResponseVerifiesAndDecodes() throws Exception {
        ByteBuf buf = direct(hex(IPV6_RESPONSE));
        try {
            assertThat(message.wrap(buf)).as(message.invalidReason()).isTrue();
            assertThat(message.xorMappedAddress()).isEqualTo(new InetSocketAddress(
                    InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
            assertThat(fingerprint.verify(message)).isTrue();
            assertThat(StunIntegrity.shortTerm(SHORT_TERM_PASSWORD).verify(message)).isEqualTo(IntegrityCheck.VALID);
        } finally {
            buf.release();
        }
    }

    @Test
    void longTermRequestParsesAndVerifiesWithMd5Key() {
        ByteBuf buf = direct(hex(LONG_TERM_REQUEST));
        try {
            assertThat(message.wrap(buf)).as(message.invalidReason()).isTrue();
            assertThat(message.attributeString(StunAttribute.USERNAME)).isEqualTo(KATAKANA_USERNAME);
            assertThat(message.attributeString(StunAttribute.NONCE)).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
            assertThat(message.attributeString(StunAttribute.REALM)).isEqualTo("example.org");
            assertThat(message.fingerprintPosition()).isEqualTo(-1);
            assertThat(fingerprint.verify(message)).isFalse();
            // Password "The<U+00AD>M<U+00AA>tr<U+2168>" is "TheMatrIX" after SASLprep.
            assertThat(StunIntegrity.longTermMd5(KATAKANA_USERNAME, "example.org", "TheMatrIX").verify(message))
                    .isEqualTo(IntegrityCheck.VALID);
            assertThat(StunIntegrity.longTermMd5(KATAKANA_USERNAME, "example.org", "TheMatrix").verify(message))
                    .isEqualTo(IntegrityCheck.MISMATCH);
        } finally {
            buf.release();
        }
    }

    @Test
    void rfc8489Sha256RequestVerifies() throws Exception {
        ByteBuf buf = direct(hex(RFC8489_SHA256_REQUEST));
        try {
            assertThat(message.wrap(buf)).as(message.invalidReason()).isTrue();
            assertThat(message.messageIntegritySha256Position()).isGreaterThan(0);
            assertThat(message.attributeString(StunAttribute.NONCE))
                    .isEqualTo("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA");
            // PASSWORD-ALGORITHM SHA-256: key = SHA-256(username ":" realm ":" password).
            byte[] key = MessageDigest.getInstance("SHA-256").digest(
                    (KATAKANA_USERNAME + ":example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));
            assertThat(StunIntegrity.ofKey(key).verify(message)).isEqualTo(IntegrityCheck.VALID);
            key[0] ^= 1;
            assertThat(StunIntegrity.ofKey(key).verify(message)).isEqualTo(IntegrityCheck.MISMATCH);
        } finally {
            buf.release();
        }
    }
}
