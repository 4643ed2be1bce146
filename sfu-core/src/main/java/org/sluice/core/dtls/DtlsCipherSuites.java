package org.sluice.core.dtls;

import org.bouncycastle.tls.CipherSuite;

/**
 * The cipher suites Sluice negotiates: ephemeral ECDH (forward secrecy, RFC 8827 §6.5) with AEAD
 * only, AES-128-GCM first (the suite RFC 8827 makes mandatory). CBC suites are left out: every
 * browser offers GCM, and with AEAD only a protected record shorter than nonce plus tag can be
 * recognised as garbage before it reaches the engine (see {@link #minimumProtectedRecordLength}).
 * Methods return fresh arrays.
 */
final class DtlsCipherSuites {
    private DtlsCipherSuites() {
    }

    /** As server our certificate is ECDSA, so only ECDHE_ECDSA suites can be selected. */
    static int[] server() {
        return new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        };
    }

    /**
     * As client the suite follows the server's certificate: ECDHE_ECDSA first, then ECDHE_RSA for
     * peers whose certificate is RSA (our own client certificate stays ECDSA either way).
     */
    static int[] client() {
        return new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        };
    }

    /** Shortest valid protected fragment: explicit nonce (8, GCM only) plus the 16-byte tag. */
    static int minimumProtectedRecordLength(int cipherSuite) {
        return switch (cipherSuite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                 CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 -> CHACHA_MINIMUM;
            default -> GCM_MINIMUM;
        };
    }

    /** Shortest protected fragment of any suite we negotiate. */
    static final int CHACHA_MINIMUM = 16;
    static final int GCM_MINIMUM = 8 + 16;
}
