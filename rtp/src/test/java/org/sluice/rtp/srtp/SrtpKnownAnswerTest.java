package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;
import static org.sluice.rtp.srtp.SrtpTestPackets.hex;

/** RFC 3711 Appendix B.2/B.3 and RFC 7714 §16/§17 test vectors. */
class SrtpKnownAnswerTest {

    // RFC 3711 B.3
    private static final byte[] B3_MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    // RFC 7714 §16/§17: session keys given directly.
    private static final byte[] GCM_KEY_128 = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_KEY_256 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] GCM_SALT = hex("517569642070726f2071756f");
    private static final String RTP_PLAIN = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    private static final String RTP_128 = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce";
    private static final String RTP_256 = "8040f17b8041f8d35501a0b2"
            + "32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b"
            + "7aa3db36dfffd6b0f9bb7878d7a76c13";
    private static final String RTCP_PLAIN = "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    private static final String RTCP_128 = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
            + "c84aa45896cf4d2fc5abf87245d9eade" + "800005d4";
    private static final String RTCP_256 = "81c8000d4d617273"
            + "d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad"
            + "1d1eb30c4446839f57ff6f6cb26ac3be" + "800005d4";
    private static final int RTCP_INDEX = 0x5d4;

    @Test
    void rfc3711_b3_keyDerivation() {
        assertThat(hex(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0, 16)))
                .isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(hex(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 2, 14)))
                .isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(hex(SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, 1, 94))).isEqualToIgnoringCase(
                "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2");
        SrtpKeyDerivation.SessionKeys keys =
                SrtpKeyDerivation.rtp(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        assertThat(hex(keys.authenticationKey())).isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    @Test
    void rfc3711_b2_aesCmKeystream() throws Exception {
        var keys = new SrtpKeyDerivation.SessionKeys(hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        AesCmHmacCipher cipher = new AesCmHmacCipher(keys, 10);
        int segment = 65282 * 16;
        byte[] header = new byte[12];
        byte[] zeros = new byte[segment];
        byte[] out = new byte[segment + 10];
        // SSRC 0, ROC 0, sequence 0: the ciphertext of zeros is the keystream.
        cipher.protectRtp(header, 0, 12, zeros, 0, segment, out, 0, 0, 0L);
        assertThat(hex(Arrays.copyOfRange(out, 0, 48))).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(hex(Arrays.copyOfRange(out, segment - 48, segment))).isEqualToIgnoringCase(
                "EC8CDF7398607CB0F2D21675EA9EA1E4362B7C3C6773516318A077D7FC5073AE6A2CC3787889374FBEB4C81B17BA6C44");
    }

    private static SrtpSession gcmSession(SrtpProfile profile, byte[] key, GcmBackend backend) {
        var keys = new SrtpKeyDerivation.SessionKeys(key, GCM_SALT, new byte[0]);
        return new SrtpSession(profile, keys, keys, SrtpSessionConfig.DEFAULT, backend);
    }

    /** Every AES-GCM backend this JVM has: the JCE always, OpenSSL on Java 22+ with libcrypto. */
    static Stream<GcmBackend> gcmBackends() {
        GcmBackend openSsl = GcmBackend.openSsl();
        return openSsl == null ? Stream.of(GcmBackend.jce()) : Stream.of(GcmBackend.jce(), openSsl);
    }

    @ParameterizedTest
    @MethodSource("gcmBackends")
    void rfc7714_16_aead128_srtp(GcmBackend backend) {
        checkRtp(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128, RTP_128, backend);
    }

    @ParameterizedTest
    @MethodSource("gcmBackends")
    void rfc7714_16_aead256_srtp(GcmBackend backend) {
        checkRtp(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256, RTP_256, backend);
    }

    private static void checkRtp(SrtpProfile profile, byte[] key, String expected, GcmBackend backend) {
        ByteBuf plain = heap(hex(RTP_PLAIN), 0);
        ByteBuf out = Unpooled.buffer(128);
        ByteBuf received = heap(hex(expected), 0);
        try {
            assertThat(gcmSession(profile, key, backend).protectRtp(plain, out)).isEqualTo(SrtpResult.OK);
            assertThat(hex(out)).isEqualTo(expected);
            assertThat(hex(plain)).isEqualTo(RTP_PLAIN);

            assertThat(gcmSession(profile, key, backend).unprotectRtp(received)).isEqualTo(SrtpResult.OK);
            assertThat(hex(received)).isEqualTo(RTP_PLAIN);
        } finally {
            plain.release();
            out.release();
            received.release();
        }
    }

    @ParameterizedTest
    @MethodSource("gcmBackends")
    void rfc7714_17_aead128_srtcp(GcmBackend backend) throws Exception {
        checkRtcp(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128, RTCP_128, backend);
    }

    @ParameterizedTest
    @MethodSource("gcmBackends")
    void rfc7714_17_aead256_srtcp(GcmBackend backend) throws Exception {
        checkRtcp(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256, RTCP_256, backend);
    }

    private static void checkRtcp(SrtpProfile profile, byte[] key, String expected, GcmBackend backend)
            throws Exception {
        byte[] plain = hex(RTCP_PLAIN);
        byte[] buf = Arrays.copyOf(plain, plain.length + 20);
        PacketCipher cipher = backend.cipher(new SrtpKeyDerivation.SessionKeys(key, GCM_SALT, new byte[0]));
        int length = cipher.protectRtcp(buf, 0, plain.length, 0x4d617273, RTCP_INDEX);
        assertThat(hex(Arrays.copyOf(buf, length))).isEqualTo(expected);

        ByteBuf received = heap(hex(expected), 0);
        try {
            assertThat(gcmSession(profile, key, backend).unprotectRtcp(received)).isEqualTo(SrtpResult.OK);
            assertThat(hex(bytes(received))).isEqualTo(RTCP_PLAIN);
        } finally {
            received.release();
        }
    }
}
