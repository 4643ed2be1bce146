package org.sluice.rtp.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * AES in counter mode (RFC 3711 §4.1.1) without a per-packet {@code Cipher.init}: one
 * {@code AES/ECB/NoPadding} cipher keyed once encrypts the packet's counter blocks (IV with the block number
 * in its last 16 bits) from a reused scratch array, and the keystream is XORed into the data eight bytes at a
 * time. No allocation per packet once the scratch arrays have grown to the largest packet.
 */
final class AesCounterKeystream {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int BLOCK = 16;

    private final Cipher ecb;
    /** Salt bytes 0..7 as a big-endian long: the high half of every counter block before the SSRC. */
    private final long saltHigh;
    /** Salt bytes 8..13, the low half of the counter block before the index and block number. */
    private final long saltLow;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterKeystream(byte[] encryptionKey, byte[] salt) {
        try {
            this.ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB is not available", e);
        }
        if (salt.length != 14) {
            throw new IllegalArgumentException("AES-CM needs a 14-byte session salt");
        }
        this.saltHigh = (long) LONG.get(salt, 0);
        long low = 0;
        for (int i = 8; i < 14; i++) {
            low = (low << 8) | (salt[i] & 0xff);
        }
        this.saltLow = low << 16;
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
        if (src == dst && srcOff != dstOff && srcOff < dstOff + len && dstOff < srcOff + len) {
            System.arraycopy(src, srcOff, dst, dstOff, len); // overlapping shift: move first, then work in place
            srcOff = dstOff;
        }
        int blocks = (len + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        if (counters.length < bytes) {
            int grown = Math.max(bytes, counters.length * 2);
            counters = new byte[grown];
            keystream = new byte[grown];
        }
        long high = saltHigh ^ (ssrc & 0xffff_ffffL);
        long low = saltLow ^ ((index & 0xffff_ffff_ffffL) << 16);
        byte[] c = counters;
        for (int b = 0, at = 0; b < blocks; b++, at += BLOCK) {
            long l = low + b; // the counter is IV + b mod 2^128; the carry only matters past 2^16 blocks
            LONG.set(c, at, Long.compareUnsigned(l, low) < 0 ? high + 1 : high);
            LONG.set(c, at + 8, l);
        }
        ecb.update(c, 0, bytes, keystream, 0);
        byte[] k = keystream;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONG.set(dst, dstOff + i, (long) LONG.get(src, srcOff + i) ^ (long) LONG.get(k, i));
        }
        for (; i < len; i++) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ k[i]);
        }
    }
}
