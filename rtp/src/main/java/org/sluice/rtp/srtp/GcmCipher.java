package org.sluice.rtp.srtp;

/**
 * What both AEAD_AES_*_GCM backends share (RFC 7714): the 16-byte tag, the E|index word ahead of the SRTCP tag's
 * end, and the IVs, written into one reused 12-byte array (no allocation).
 */
abstract class GcmCipher extends PacketCipher {

    static final int TAG = 16;

    private final byte[] salt;
    /** The IV of the packet at hand, written by {@link #rtpIv} and {@link #rtcpIv}. */
    final byte[] iv = new byte[12];

    GcmCipher(SrtpKeyDerivation.SessionKeys keys) {
        this.salt = keys.salt().clone();
    }

    @Override
    final int rtpTagLength() {
        return TAG;
    }

    @Override
    final int rtcpTagLength() {
        return TAG;
    }

    @Override
    final int rtcpIndexFromEnd() {
        return 4;
    }

    /** SRTP IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, RFC 7714 §8.1, into {@link #iv}. */
    final void rtpIv(int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 12);
        xorInt(iv, 2, ssrc);
        xorInt(iv, 6, (int) (index >>> 16));
        iv[10] ^= (byte) (index >>> 8);
        iv[11] ^= (byte) index;
    }

    /** SRTCP IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt, RFC 7714 §9.1, into {@link #iv}. */
    final void rtcpIv(int ssrc, int index) {
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
