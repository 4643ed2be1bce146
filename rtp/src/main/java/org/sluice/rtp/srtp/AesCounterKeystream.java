package org.sluice.rtp.srtp;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;

/**
 * AES in counter mode (RFC 3711 §4.1.1) through JCE's {@code AES/CTR/NoPadding}, whose counter-mode intrinsic
 * encrypts several blocks at once, re-initialised per packet with the packet's IV, without allocating:
 *
 * <ul>
 *   <li>the IV spec ({@link ReusableIv}) hands JCE its scratch array instead of a copy; SunJCE's CTR copies
 *       the IV into its counter at init;</li>
 *   <li>the key ({@link ReusableKey}) returns one scratch array from {@code getEncoded()} instead of a fresh
 *       clone, refilled with the session key before every init, because SunJCE zeroes the array it got once
 *       the key schedule is built (and skips re-expanding an unchanged key);</li>
 *   <li>in-place work goes through a reused keystream array: SunJCE copies the input (an allocation the size
 *       of the packet) when input and output overlap.</li>
 * </ul>
 *
 * <p>Measured alternative (not used): {@code AES/ECB/NoPadding} keyed once, fed the packet's counter blocks,
 * XOR in Java; also allocation-free, but 390–440 ns per 1188-byte payload against 130–150 ns here.
 */
final class AesCounterKeystream {

    private final Cipher ctr;
    private final byte[] salt;
    private final ReusableKey key;
    private final ReusableIv iv = new ReusableIv();
    private byte[] scratch = new byte[2048];

    AesCounterKeystream(byte[] encryptionKey, byte[] salt) {
        try {
            this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available", e);
        }
        if (salt.length != 14) {
            throw new IllegalArgumentException("AES-CM needs a 14-byte session salt");
        }
        this.key = new ReusableKey(encryptionKey);
        this.salt = salt.clone();
    }

    /**
     * XORs the keystream for IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16) into {@code src[srcOff, +len)},
     * writing {@code dst[dstOff, +len)}. The regions may be the same or overlap.
     */
    void crypt(int ssrc, long index, byte[] src, int srcOff, int len, byte[] dst, int dstOff)
            throws GeneralSecurityException {
        if (len <= 0) {
            return;
        }
        byte[] b = iv.bytes;
        System.arraycopy(salt, 0, b, 0, 14);
        b[14] = 0;
        b[15] = 0;
        b[4] ^= (byte) (ssrc >>> 24);
        b[5] ^= (byte) (ssrc >>> 16);
        b[6] ^= (byte) (ssrc >>> 8);
        b[7] ^= (byte) ssrc;
        b[8] ^= (byte) (index >>> 40);
        b[9] ^= (byte) (index >>> 32);
        b[10] ^= (byte) (index >>> 24);
        b[11] ^= (byte) (index >>> 16);
        b[12] ^= (byte) (index >>> 8);
        b[13] ^= (byte) index;
        ctr.init(Cipher.ENCRYPT_MODE, key.refill(), iv);
        if (src != dst || srcOff + len <= dstOff || dstOff + len <= srcOff) {
            ctr.doFinal(src, srcOff, len, dst, dstOff);
            return;
        }
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        ctr.doFinal(src, srcOff, len, scratch, 0);
        System.arraycopy(scratch, 0, dst, dstOff, len);
    }

    /**
     * An AES key whose {@link #getEncoded()} returns its own scratch array rather than a clone. Never leaves
     * this class; {@link #refill()} restores the key bytes the provider may have zeroed after the last init.
     */
    static final class ReusableKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] master;
        private final byte[] handedOut;

        ReusableKey(byte[] key) {
            this.master = key.clone();
            this.handedOut = new byte[key.length];
        }

        ReusableKey refill() {
            System.arraycopy(master, 0, handedOut, 0, master.length);
            return this;
        }

        @Override
        public String getAlgorithm() {
            return "AES";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return handedOut;
        }
    }

    /**
     * An IV spec whose {@link #getIV()} returns its own scratch array rather than a copy. SunJCE's CTR
     * only copies the IV into its counter at init, so handing over the scratch array is safe.
     */
    static final class ReusableIv extends IvParameterSpec {
        final byte[] bytes = new byte[16];

        ReusableIv() {
            super(new byte[16]);
        }

        @Override
        public byte[] getIV() {
            return bytes;
        }
    }
}
