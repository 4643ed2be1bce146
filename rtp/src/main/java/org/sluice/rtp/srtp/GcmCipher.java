package org.sluice.rtp.srtp;

/**
 * What both AEAD_AES_*_GCM backends share (RFC 7714): the 16-byte tag, the E|index word ahead of the SRTCP tag's
 * end, and the IVs, written into one reused 12-byte array (no allocation) or computed as a big-endian long (bytes
 * 0 to 7) and int (bytes 8 to 11) from the salt kept in two fields.
 */
abstract class GcmCipher extends PacketCipher {

    static final int TAG = 16;

    private final byte[] salt;
    /** The salt's bytes 0 to 7 and 8 to 11, big-endian. */
    private final long saltHigh;
    private final int saltLow;
    /** The IV of the packet at hand, written by {@link #rtpIv} and {@link #rtcpIv}. */
    final byte[] iv = new byte[12];

    GcmCipher(SrtpKeyDerivation.SessionKeys keys) {
        this.salt = keys.salt().clone();
        if (salt.length != 12) {
            throw new IllegalArgumentException("AES-GCM needs a 12-byte salt");
        }
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (salt[i] & 0xFF);
        }
        this.saltHigh = high;
        this.saltLow = (salt[8] & 0xFF) << 24 | (salt[9] & 0xFF) << 16 | (salt[10] & 0xFF) << 8 | (salt[11] & 0xFF);
    }

    /** Bytes 0 to 7 of the SRTP IV of {@code ssrc} at {@code index} (RFC 7714 §8.1): 0x0000, SSRC, ROC's high half. */
    final long rtpIvHigh(int ssrc, long index) {
        return ((ssrc & 0xFFFF_FFFFL) << 16 | (index >>> 32) & 0xFFFF) ^ saltHigh;
    }

    /** Bytes 8 to 11 of the SRTP IV: ROC's low half, then SEQ. */
    final int rtpIvLow(long index) {
        return (int) index ^ saltLow;
    }

    /** Bytes 0 to 7 of the SRTCP IV (RFC 7714 §9.1): 0x0000, SSRC, 0x0000. */
    final long rtcpIvHigh(int ssrc) {
        return (ssrc & 0xFFFF_FFFFL) << 16 ^ saltHigh;
    }

    /** Bytes 8 to 11 of the SRTCP IV: a zero bit, then the 31-bit SRTCP index. */
    final int rtcpIvLow(int index) {
        return index & 0x7fff_ffff ^ saltLow;
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
