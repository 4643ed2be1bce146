package org.sluice.rtp.srtp;

/**
 * The SRTP protection profiles Sluice speaks, with their DTLS-SRTP identifiers (RFC 5764 §4.1.2,
 * RFC 7714 §14.2) and key sizes.
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16);

    private final int protectionProfileId;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int rtpAuthTagLength;
    private final int rtcpAuthTagLength;

    SrtpProfile(int protectionProfileId, int masterKeyLength, int masterSaltLength,
                int rtpAuthTagLength, int rtcpAuthTagLength) {
        this.protectionProfileId = protectionProfileId;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.rtpAuthTagLength = rtpAuthTagLength;
        this.rtcpAuthTagLength = rtcpAuthTagLength;
    }

    /** The SRTPProtectionProfile value of the DTLS use_srtp extension. */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Bytes the authentication tag (or AEAD tag) adds to an SRTP packet. */
    public int rtpAuthTagLength() {
        return rtpAuthTagLength;
    }

    /** Bytes the authentication tag (or AEAD tag) adds to an SRTCP packet, not counting the index. */
    public int rtcpAuthTagLength() {
        return rtcpAuthTagLength;
    }

    public boolean isAead() {
        return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
    }

    /** The profile for a DTLS-SRTP identifier, or {@code null} when Sluice does not support it. */
    public static SrtpProfile fromProtectionProfileId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.protectionProfileId == id) {
                return profile;
            }
        }
        return null;
    }
}
