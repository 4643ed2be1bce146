package org.sluice.core.stun;

/** STUN attribute type codes used by Sluice (RFC 8489 §18.3, RFC 8445 §16.1, RFC 5245). */
public final class StunAttribute {

    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    /** Length of a MESSAGE-INTEGRITY value (HMAC-SHA1). */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** Length of a full MESSAGE-INTEGRITY-SHA256 value; receivers accept 16..32 in steps of 4. */
    public static final int MESSAGE_INTEGRITY_SHA256_LENGTH = 32;
    /** Length of a FINGERPRINT value. */
    public static final int FINGERPRINT_LENGTH = 4;

    private StunAttribute() {
    }

    /** Attributes 0x0000-0x7FFF are comprehension-required (RFC 8489 §14). */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }
}
