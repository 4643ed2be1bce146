package org.sluice.rtp.srtp;

/** The AEAD IVs of RFC 7714, written into a caller's 12-byte array (no allocation); shared by both GCM backends. */
final class GcmIv {

    private GcmIv() {
    }

    /** SRTP IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, RFC 7714 §8.1. */
    static void rtp(byte[] iv, byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 12);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 6, (int) (index >>> 16));
        iv[10] ^= (byte) (index >>> 8);
        iv[11] ^= (byte) index;
    }

    /** SRTCP IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt, RFC 7714 §9.1. */
    static void rtcp(byte[] iv, byte[] salt, int ssrc, int index) {
        System.arraycopy(salt, 0, iv, 0, 12);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 8, index & 0x7fff_ffff);
    }

    private static void xorInt(byte[] b, int off, int v) {
        b[off] ^= (byte) (v >>> 24);
        b[off + 1] ^= (byte) (v >>> 16);
        b[off + 2] ^= (byte) (v >>> 8);
        b[off + 3] ^= (byte) v;
    }
}
