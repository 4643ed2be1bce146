package org.sluice.core.dtls;

import org.bouncycastle.tls.CipherSuite;

/**
 * The cipher suites Sluice negotiates: ephemeral ECDH with AEAD first, as browsers do
 * (RFC 8827 §6.5 requires forward secrecy). Methods return fresh arrays.
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
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
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
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        };
    }
}
