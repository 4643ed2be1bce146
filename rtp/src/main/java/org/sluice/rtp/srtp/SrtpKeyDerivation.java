package org.sluice.rtp.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with the AES-CM PRF and a key derivation rate of
 * zero, as DTLS-SRTP uses it. For the AEAD profiles (RFC 7714 §11) the 96-bit master salt is padded
 * with zeros to 112 bits and the PRF is AES-CM under the (128- or 256-bit) master key.
 *
 * <p>Runs once per session, so it may allocate.
 */
final class SrtpKeyDerivation {

    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /** {@code length} bytes of session key material for {@code label}. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        // key_id = label || r (48 bits, r = 0 for kdr 0), right-aligned in 112 bits, XORed into the salt.
        iv[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] counterBlocks = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(iv, 0, counterBlocks, b * 16, 14);
            counterBlocks[b * 16 + 14] = (byte) (b >>> 8);
            counterBlocks[b * 16 + 15] = (byte) b;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] out = aes.doFinal(counterBlocks);
            return Arrays.copyOf(out, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /** Session keys of one direction of one kind (RTP or RTCP). */
    record SessionKeys(byte[] encryptionKey, byte[] salt, byte[] authenticationKey) {
    }

    /** The RTP session keys of a profile. */
    static SessionKeys rtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return keys(profile, masterKey, masterSalt, LABEL_RTP_ENCRYPTION, LABEL_RTP_AUTHENTICATION, LABEL_RTP_SALT);
    }

    /** The RTCP session keys of a profile. */
    static SessionKeys rtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return keys(profile, masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, LABEL_RTCP_AUTHENTICATION,
                LABEL_RTCP_SALT);
    }

    private static SessionKeys keys(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
                                    int encLabel, int authLabel, int saltLabel) {
        byte[] enc = derive(masterKey, masterSalt, encLabel, profile.masterKeyLength());
        byte[] salt = derive(masterKey, masterSalt, saltLabel, profile.masterSaltLength());
        byte[] auth = profile.isAead() ? new byte[0] : derive(masterKey, masterSalt, authLabel, 20);
        return new SessionKeys(enc, salt, auth);
    }
}
