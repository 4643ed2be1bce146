package org.sluice.rtp.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;

/**
 * AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714) through JCE's {@code AES/GCM/NoPadding}.
 *
 * <p>JCE takes the IV of every init from a {@link GCMParameterSpec}, which is immutable; rather than a
 * new spec per packet this cipher passes one {@link PacketIv} whose {@code getIV()} hands out the
 * current IV (see there). What the JCE allocates inside {@code init} (a copy of the key per init, its
 * GHASH and counter state) is beyond reach here; the FFM backend the performance issue asks for is the
 * way past it. The cipher, key and scratch arrays are reused. A packet protected twice with the same index (a retransmission
 * re-sent unchanged) produces the same bytes: on JCE's refusal we step through a throw-away IV and
 * retry, which is safe because identical plaintext under an identical nonce reveals nothing new.
 */
final class AesGcmCipher extends GcmCipher {

    private final Cipher gcm;
    private final SecretKeySpec key;
    private final PacketIv spec = new PacketIv(iv);
    private final byte[] aadWord = new byte[4];

    AesGcmCipher(SrtpKeyDerivation.SessionKeys keys) {
        super(keys);
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
        this.key = new SecretKeySpec(keys.encryptionKey(), "AES");
    }

    private void initEncrypt() throws GeneralSecurityException {
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (InvalidAlgorithmParameterException sameKeyAndIv) {
            iv[0] ^= 1;
            gcm.init(Cipher.ENCRYPT_MODE, key, spec);
            iv[0] ^= 1;
            gcm.init(Cipher.ENCRYPT_MODE, key, spec);
        }
    }

    /**
     * The IV of the next init as a {@link GCMParameterSpec}, without a new spec per packet. The JCE reads a spec
     * once per init through {@link #getIV()} and keeps the array it gets: as the IV it encrypts with, and as the
     * last encryption IV it compares the next encryption's against (it refuses an identical key and IV). So an
     * array handed out must keep its contents while the JCE may still compare against it: {@code getIV()} copies
     * the current IV into three arrays in turn. The array compared against is the one of the last successful
     * encrypting init, which in a session that only encrypts (or only decrypts, where nothing is compared) is one
     * of the last two handed out (the refused init of {@link #initEncrypt} lies between), never the next one.
     */
    private static final class PacketIv extends GCMParameterSpec {

        private final byte[] current;
        private final byte[][] handedOut = {new byte[12], new byte[12], new byte[12]};
        private int turn;

        PacketIv(byte[] current) {
            super(TAG * 8, current);
            this.current = current;
        }

        @Override
        public int getTLen() {
            return TAG * 8;
        }

        @Override
        public byte[] getIV() {
            turn = turn == 2 ? 0 : turn + 1;
            byte[] out = handedOut[turn];
            System.arraycopy(current, 0, out, 0, out.length);
            return out;
        }
    }

    @Override
    void protectRtp(byte[] header, int headerOff, int headerLen, byte[] src, int srcOff, int len,
                    byte[] dst, int dstOff, int ssrc, long index) throws GeneralSecurityException {
        rtpIv(ssrc, index);
        initEncrypt();
        gcm.updateAAD(header, headerOff, headerLen);
        gcm.doFinal(src, srcOff, len, dst, dstOff);
    }

    @Override
    boolean unprotectRtp(byte[] buf, int off, int headerLen, int len, int ssrc, long index) {
        try {
            rtpIv(ssrc, index);
            gcm.init(Cipher.DECRYPT_MODE, key, spec);
            gcm.updateAAD(buf, off, headerLen);
            int at = off + headerLen;
            gcm.doFinal(buf, at, len + TAG, buf, at);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) throws GeneralSecurityException {
        rtcpIv(ssrc, srtcpIndex);
        initEncrypt();
        int eIndex = srtcpIndex | 0x8000_0000;
        putInt(aadWord, 0, eIndex);
        gcm.updateAAD(buf, off, SrtpHeaders.RTCP_HEADER);
        gcm.updateAAD(aadWord, 0, 4);
        int at = off + SrtpHeaders.RTCP_HEADER;
        int written = gcm.doFinal(buf, at, len - SrtpHeaders.RTCP_HEADER, buf, at);
        putInt(buf, at + written, eIndex);
        return len + TAG + 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        try {
            rtcpIv(ssrc, eIndex);
            gcm.init(Cipher.DECRYPT_MODE, key, spec);
            putInt(aadWord, 0, eIndex);
            int sealed = len - 4;
            if (eIndex < 0) {
                gcm.updateAAD(buf, off, SrtpHeaders.RTCP_HEADER);
                gcm.updateAAD(aadWord, 0, 4);
                int at = off + SrtpHeaders.RTCP_HEADER;
                gcm.doFinal(buf, at, sealed - SrtpHeaders.RTCP_HEADER, buf, at);
            } else {
                // Unencrypted SRTCP (RFC 7714 §9.2): the whole packet is associated data, the tag follows it.
                gcm.updateAAD(buf, off, sealed - TAG);
                gcm.updateAAD(aadWord, 0, 4);
                gcm.doFinal(buf, off + sealed - TAG, TAG, buf, off + sealed - TAG);
            }
            return sealed - TAG;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }
}
