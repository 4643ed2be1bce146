package org.sluice.rtp.srtp;

import java.security.GeneralSecurityException;

/**
 * AES_CM_128_HMAC_SHA1_80/32 (RFC 3711 §4.1.1, §4.2.1): AES counter mode through {@link AesCounterKeystream}
 * (JCE's CTR, re-initialised per packet without copying key or IV) and HMAC-SHA1 through
 * {@link HmacSha1} (a reused {@code SHA-1} digest). Nothing is allocated per packet.
 */
final class AesCmHmacCipher extends PacketCipher {

    private static final int SRTCP_TAG = 10;

    private final AesCounterKeystream aes;
    private final HmacSha1 hmac;
    private final int rtpTagLength;
    private final byte[] macOut = new byte[HmacSha1.LENGTH];
    private final byte[] word = new byte[4];

    AesCmHmacCipher(SrtpKeyDerivation.SessionKeys keys, int rtpTagLength) {
        this.aes = new AesCounterKeystream(keys.encryptionKey(), keys.salt());
        this.hmac = new HmacSha1(keys.authenticationKey());
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

    @Override
    void protectRtp(byte[] header, int headerOff, int headerLen, byte[] src, int srcOff, int len,
                    byte[] dst, int dstOff, int ssrc, long index) throws GeneralSecurityException {
        aes.crypt(ssrc, index, src, srcOff, len, dst, dstOff);
        hmac.start();
        hmac.update(header, headerOff, headerLen);
        hmac.update(dst, dstOff, len);
        putInt(word, 0, (int) (index >>> 16));
        hmac.update(word, 0, 4);
        hmac.finish(macOut, 0);
        System.arraycopy(macOut, 0, dst, dstOff + len, rtpTagLength);
    }

    @Override
    boolean unprotectRtp(byte[] buf, int off, int headerLen, int len, int ssrc, long index) {
        try {
            hmac.start();
            hmac.update(buf, off, headerLen + len);
            putInt(word, 0, (int) (index >>> 16));
            hmac.update(word, 0, 4);
            hmac.finish(macOut, 0);
            if (!constantTimeEquals(macOut, 0, buf, off + headerLen + len, rtpTagLength)) {
                return false;
            }
            if (len > 0) {
                int at = off + headerLen;
                aes.crypt(ssrc, index, buf, at, len, buf, at);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) throws GeneralSecurityException {
        int at = off + SrtpHeaders.RTCP_HEADER;
        aes.crypt(ssrc, srtcpIndex, buf, at, len - SrtpHeaders.RTCP_HEADER, buf, at);
        putInt(buf, off + len, srtcpIndex | 0x8000_0000);
        hmac.start();
        hmac.update(buf, off, len + 4);
        hmac.finish(macOut, 0);
        System.arraycopy(macOut, 0, buf, off + len + 4, SRTCP_TAG);
        return len + 4 + SRTCP_TAG;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        try {
            int authenticated = len - SRTCP_TAG;
            hmac.start();
            hmac.update(buf, off, authenticated);
            hmac.finish(macOut, 0);
            if (!constantTimeEquals(macOut, 0, buf, off + authenticated, SRTCP_TAG)) {
                return -1;
            }
            int plainLength = authenticated - 4;
            if (eIndex < 0 && plainLength > SrtpHeaders.RTCP_HEADER) {
                int at = off + SrtpHeaders.RTCP_HEADER;
                aes.crypt(ssrc, eIndex & 0x7fff_ffff, buf, at, plainLength - SrtpHeaders.RTCP_HEADER, buf, at);
            }
            return plainLength;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }
}
