package org.sluice.rtp.srtp;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES_CM_128_HMAC_SHA1_80/32 (RFC 3711 §4.1.1, §4.2.1): AES in counter mode through JCE's
 * {@code AES/CTR/NoPadding}, re-initialised per packet with the packet's IV, and HMAC-SHA1 through a
 * {@link Mac} keyed once. The IV object is reused: {@link ReusableIv} hands JCE the same scratch array
 * instead of a fresh copy, so a packet's init does not allocate an IV.
 */
final class AesCmHmacCipher extends PacketCipher {

    private static final int SRTCP_TAG = 10;

    private final Cipher ctr;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final ReusableIv iv = new ReusableIv();
    private final Mac hmac;
    private final int rtpTagLength;
    private final byte[] macOut = new byte[20];
    private final byte[] word = new byte[4];
    private byte[] keystreamScratch = new byte[2048];

    AesCmHmacCipher(SrtpKeyDerivation.SessionKeys keys, int rtpTagLength) {
        try {
            this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
            this.key = new SecretKeySpec(keys.encryptionKey(), "AES");
            this.hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(keys.authenticationKey(), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR or HmacSHA1 is not available", e);
        }
        this.salt = keys.salt().clone();
        this.rtpTagLength = rtpTagLength;
    }

    @Override
    int rtpTagLength() {
        return rtpTagLength;
    }

    @Override
    int rtcpTagLength() {
        return SRTCP_TAG;
    }

    @Override
    int rtcpIndexFromEnd() {
        return SRTCP_TAG + 4;
    }

    /** IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16), RFC 3711 §4.1.1. */
    private void initIv(int ssrc, long index) throws GeneralSecurityException {
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
        ctr.init(Cipher.ENCRYPT_MODE, key, iv);
    }

    /**
     * XORs the keystream of the initialised counter into {@code dst}. SunJCE copies the input (an allocation
     * the size of the packet) when input and output overlap, so in-place work goes through a scratch array
     * and one {@code arraycopy} back instead.
     */
    private void crypt(byte[] src, int srcOff, int len, byte[] dst, int dstOff) throws GeneralSecurityException {
        if (len <= 0) {
            return;
        }
        if (src != dst || srcOff + len <= dstOff || dstOff + len <= srcOff) {
            ctr.doFinal(src, srcOff, len, dst, dstOff);
            return;
        }
        if (keystreamScratch.length < len) {
            keystreamScratch = new byte[Math.max(len, keystreamScratch.length * 2)];
        }
        ctr.doFinal(src, srcOff, len, keystreamScratch, 0);
        System.arraycopy(keystreamScratch, 0, dst, dstOff, len);
    }

    @Override
    void protectRtp(byte[] header, int headerOff, int headerLen, byte[] src, int srcOff, int len,
                    byte[] dst, int dstOff, int ssrc, long index) throws GeneralSecurityException {
        initIv(ssrc, index);
        crypt(src, srcOff, len, dst, dstOff);
        hmac.update(header, headerOff, headerLen);
        hmac.update(dst, dstOff, len);
        putInt(word, 0, (int) (index >>> 16));
        hmac.update(word, 0, 4);
        hmac.doFinal(macOut, 0);
        System.arraycopy(macOut, 0, dst, dstOff + len, rtpTagLength);
    }

    @Override
    boolean unprotectRtp(byte[] buf, int off, int headerLen, int len, int ssrc, long index) {
        try {
            hmac.update(buf, off, headerLen + len);
            putInt(word, 0, (int) (index >>> 16));
            hmac.update(word, 0, 4);
            hmac.doFinal(macOut, 0);
            if (!constantTimeEquals(macOut, 0, buf, off + headerLen + len, rtpTagLength)) {
                return false;
            }
            if (len > 0) {
                initIv(ssrc, index);
                int at = off + headerLen;
                crypt(buf, at, len, buf, at);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            hmac.reset();
            return false;
        }
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) throws GeneralSecurityException {
        initIv(ssrc, srtcpIndex);
        int at = off + SrtpHeaders.RTCP_HEADER;
        crypt(buf, at, len - SrtpHeaders.RTCP_HEADER, buf, at);
        putInt(buf, off + len, srtcpIndex | 0x8000_0000);
        hmac.update(buf, off, len + 4);
        hmac.doFinal(macOut, 0);
        System.arraycopy(macOut, 0, buf, off + len + 4, SRTCP_TAG);
        return len + 4 + SRTCP_TAG;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        try {
            int authenticated = len - SRTCP_TAG;
            hmac.update(buf, off, authenticated);
            hmac.doFinal(macOut, 0);
            if (!constantTimeEquals(macOut, 0, buf, off + authenticated, SRTCP_TAG)) {
                return -1;
            }
            int plainLength = authenticated - 4;
            if (eIndex < 0 && plainLength > SrtpHeaders.RTCP_HEADER) {
                initIv(ssrc, eIndex & 0x7fff_ffff);
                int at = off + SrtpHeaders.RTCP_HEADER;
                crypt(buf, at, plainLength - SrtpHeaders.RTCP_HEADER, buf, at);
            }
            return plainLength;
        } catch (GeneralSecurityException | RuntimeException e) {
            hmac.reset();
            return -1;
        }
    }

    /**
     * An IV spec whose {@link #getIV()} returns its own scratch array rather than a copy. SunJCE's CTR
     * only copies the IV into its counter at init, so handing over the scratch array is safe and saves
     * two allocations per packet.
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
