package org.sluice.rtp.srtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a reused {@code SHA-1} {@link MessageDigest}: the key XOR ipad/opad blocks are
 * computed once, the inner digest is written into a scratch array and the outer one into the caller's array,
 * so a tag costs no allocation (JCE's {@code Mac.doFinal} returns fresh arrays).
 *
 * <p>Use: {@link #start()}, any number of {@link #update}, then {@link #finish}. Confined to one thread.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Begins a tag: discards anything pending and feeds the inner key block. */
    void start() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
    }

    void update(byte[] b, int off, int len) {
        sha1.update(b, off, len);
    }

    /** Writes the 20-byte tag at {@code out[off]}; the digest is then reset. */
    void finish(byte[] out, int off) throws GeneralSecurityException {
        sha1.digest(inner, 0, LENGTH);
        sha1.update(outerPad, 0, BLOCK);
        sha1.update(inner, 0, LENGTH);
        sha1.digest(out, off, LENGTH);
    }
}
