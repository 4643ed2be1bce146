package org.sluice.core.stun;

/**
 * STUN message type arithmetic (RFC 8489 §5): the 14-bit type interleaves a 12-bit method with a
 * 2-bit class (bits C1 at 0x0100 and C0 at 0x0010).
 */
public final class StunMessageType {

    public static final int CLASS_REQUEST = 0;
    public static final int CLASS_INDICATION = 1;
    public static final int CLASS_SUCCESS_RESPONSE = 2;
    public static final int CLASS_ERROR_RESPONSE = 3;

    public static final int METHOD_BINDING = 0x001;

    public static final int BINDING_REQUEST = type(METHOD_BINDING, CLASS_REQUEST);
    public static final int BINDING_INDICATION = type(METHOD_BINDING, CLASS_INDICATION);
    public static final int BINDING_SUCCESS_RESPONSE = type(METHOD_BINDING, CLASS_SUCCESS_RESPONSE);
    public static final int BINDING_ERROR_RESPONSE = type(METHOD_BINDING, CLASS_ERROR_RESPONSE);

    private StunMessageType() {
    }

    /** The message type for a method (0..0xFFF) and a class (0..3). */
    public static int type(int method, int messageClass) {
        return (method & 0x000F)
                | ((method & 0x0070) << 1)
                | ((method & 0x0F80) << 2)
                | ((messageClass & 1) << 4)
                | ((messageClass & 2) << 7);
    }

    /** The class (0..3) encoded in a message type. */
    public static int messageClass(int type) {
        return ((type >> 4) & 1) | ((type >> 7) & 2);
    }

    /** The method (0..0xFFF) encoded in a message type. */
    public static int method(int type) {
        return (type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80);
    }
}
