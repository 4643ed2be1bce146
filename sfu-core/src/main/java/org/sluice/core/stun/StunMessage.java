package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * A reusable, zero-copy view of one STUN message (RFC 8489 §5, §14) in a {@link ByteBuf}.
 *
 * <p>{@link #wrap(ByteBuf, int, int)} validates the header (two leading zero bits, magic cookie,
 * length a multiple of 4 and equal to the region's length minus 20) and walks every attribute TLV
 * with its padding, so later reads stay in bounds. On failure it returns {@code false} and
 * {@link #invalidReason()} gives a constant string; nothing is thrown and nothing is allocated.
 *
 * <p>Attribute positions are absolute buffer indexes of the attribute header (type, length); the
 * value starts 4 bytes later. As RFC 8489 §14.5 requires, ordinary attributes that follow
 * MESSAGE-INTEGRITY (or MESSAGE-INTEGRITY-SHA256, or FINGERPRINT) are ignored by {@link #find};
 * anything after FINGERPRINT makes the message invalid.
 *
 * <p>One instance per transport or loop; not thread-safe. The view holds no reference count: the
 * caller keeps the buffer alive while the view is used.
 */
public final class StunMessage {

    /** Size of the fixed STUN header. */
    public static final int HEADER_LENGTH = 20;
    /** The magic cookie of RFC 5389/8489 messages. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Size of a transaction id. */
    public static final int TRANSACTION_ID_LENGTH = 12;

    private static final String REGION_OUT_OF_BOUNDS = "region out of buffer bounds";
    private static final String TOO_SHORT = "shorter than a STUN header";
    private static final String NOT_STUN_TYPE = "leading bits of message type are not zero";
    private static final String BAD_COOKIE = "magic cookie mismatch";
    private static final String LENGTH_NOT_ALIGNED = "message length is not a multiple of 4";
    private static final String LENGTH_MISMATCH = "message length does not match the datagram";
    private static final String TRUNCATED_ATTRIBUTE_HEADER = "truncated attribute header";
    private static final String ATTRIBUTE_OVERRUN = "attribute value overruns the message";
    private static final String AFTER_FINGERPRINT = "attribute after FINGERPRINT";
    private static final String BAD_INTEGRITY_LENGTH = "MESSAGE-INTEGRITY length is not 20";
    private static final String BAD_INTEGRITY_SHA256_LENGTH = "MESSAGE-INTEGRITY-SHA256 length invalid";
    private static final String BAD_FINGERPRINT_LENGTH = "FINGERPRINT length is not 4";
    private static final String NOT_WRAPPED = "no message wrapped";

    private ByteBuf buf;
    private int start;
    private int totalLength;
    private int attributesEnd;
    private int messageIntegrity;
    private int messageIntegritySha256;
    private int fingerprint;
    private boolean valid;
    private String invalidReason = NOT_WRAPPED;

    /** Wraps the readable bytes of {@code buf} (reader index to writer index). */
    public boolean wrap(ByteBuf buf) {
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Wraps {@code length} bytes from absolute index {@code offset}; the region is one whole STUN message. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.start = offset;
        this.totalLength = length;
        this.messageIntegrity = -1;
        this.messageIntegritySha256 = -1;
        this.fingerprint = -1;
        this.attributesEnd = -1;
        this.valid = false;
        String reason = validate();
        if (reason != null) {
            invalidReason = reason;
            return false;
        }
        invalidReason = null;
        valid = true;
        return true;
    }

    private String validate() {
        if (buf == null || offset() < 0 || totalLength < 0 || offset() > buf.writerIndex() - totalLength) {
            return REGION_OUT_OF_BOUNDS;
        }
        if (totalLength < HEADER_LENGTH) {
            return TOO_SHORT;
        }
        if ((buf.getByte(start) & 0xC0) != 0) {
            return NOT_STUN_TYPE;
        }
        if (buf.getInt(start + 4) != MAGIC_COOKIE) {
            return BAD_COOKIE;
        }
        int declared = buf.getUnsignedShort(start + 2);
        if ((declared & 3) != 0) {
            return LENGTH_NOT_ALIGNED;
        }
        if (declared != totalLength - HEADER_LENGTH) {
            return LENGTH_MISMATCH;
        }
        int end = start + totalLength;
        int pos = start + HEADER_LENGTH;
        while (pos < end) {
            if (end - pos < 4) {
                return TRUNCATED_ATTRIBUTE_HEADER;
            }
            if (fingerprint >= 0) {
                return AFTER_FINGERPRINT;
            }
            int type = buf.getUnsignedShort(pos);
            int valueLength = buf.getUnsignedShort(pos + 2);
            int padded = (valueLength + 3) & ~3;
            if (padded > end - pos - 4) {
                return ATTRIBUTE_OVERRUN;
            }
            if (type == StunAttribute.MESSAGE_INTEGRITY) {
                if (valueLength != StunAttribute.MESSAGE_INTEGRITY_LENGTH) {
                    return BAD_INTEGRITY_LENGTH;
                }
                if (messageIntegrity < 0 && messageIntegritySha256 < 0) {
                    messageIntegrity = pos;
                }
                markAttributesEnd(pos);
            } else if (type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                if (valueLength < 16 || valueLength > 32 || (valueLength & 3) != 0) {
                    return BAD_INTEGRITY_SHA256_LENGTH;
                }
                if (messageIntegritySha256 < 0) {
                    messageIntegritySha256 = pos;
                }
                markAttributesEnd(pos);
            } else if (type == StunAttribute.FINGERPRINT) {
                if (valueLength != StunAttribute.FINGERPRINT_LENGTH) {
                    return BAD_FINGERPRINT_LENGTH;
                }
                fingerprint = pos;
                markAttributesEnd(pos);
            }
            pos += 4 + padded;
        }
        if (attributesEnd < 0) {
            attributesEnd = end;
        }
        return null;
    }

    private void markAttributesEnd(int pos) {
        if (attributesEnd < 0) {
            attributesEnd = pos;
        }
    }

    /** Whether the last {@code wrap} succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** Why the last {@code wrap} failed (a constant), or {@code null} if it succeeded. */
    public String invalidReason() {
        return invalidReason;
    }

    /** The wrapped buffer. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first header byte. */
    public int offset() {
        return start;
    }

    /** Header plus attributes, in bytes. */
    public int totalLength() {
        return totalLength;
    }

    /** The 14-bit message type. */
    public int messageType() {
        return buf.getUnsignedShort(start);
    }

    /** The class: one of {@code StunMessageType.CLASS_*}. */
    public int messageClass() {
        return StunMessageType.messageClass(messageType());
    }

    /** The method, e.g. {@link StunMessageType#METHOD_BINDING}. */
    public int method() {
        return StunMessageType.method(messageType());
    }

    public boolean isBindingRequest() {
        return messageType() == StunMessageType.BINDING_REQUEST;
    }

    /** Absolute index of the transaction id's first byte. */
    public int transactionIdOffset() {
        return start + 8;
    }

    /** Compares transaction ids without allocating. */
    public boolean transactionIdEquals(StunMessage other) {
        return transactionIdEquals(other.buf, other.transactionIdOffset());
    }

    /** Compares this transaction id with 12 bytes of {@code other} at absolute {@code index}. */
    public boolean transactionIdEquals(ByteBuf other, int index) {
        int mine = transactionIdOffset();
        return buf.getLong(mine) == other.getLong(index) && buf.getInt(mine + 8) == other.getInt(index + 8);
    }

    /** Compares this transaction id with a 12-byte array. */
    public boolean transactionIdEquals(byte[] id) {
        if (id.length != TRANSACTION_ID_LENGTH) {
            return false;
        }
        int mine = transactionIdOffset();
        for (int i = 0; i < TRANSACTION_ID_LENGTH; i++) {
            if (buf.getByte(mine + i) != id[i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies the transaction id to {@code dst} at absolute {@code index} (writer index untouched). */
    public void copyTransactionId(ByteBuf dst, int index) {
        int mine = transactionIdOffset();
        dst.setLong(index, buf.getLong(mine));
        dst.setInt(index + 8, buf.getInt(mine + 8));
    }

    /** Copies the transaction id into {@code dst[0..12)}. */
    public void copyTransactionId(byte[] dst) {
        buf.getBytes(transactionIdOffset(), dst, 0, TRANSACTION_ID_LENGTH);
    }

    /** Position of the first attribute header, or -1 if there are none. */
    public int firstAttribute() {
        return totalLength > HEADER_LENGTH ? start + HEADER_LENGTH : -1;
    }

    /** Position of the attribute after the one at {@code position}, or -1 at the end. */
    public int nextAttribute(int position) {
        int next = position + 4 + ((attributeLength(position) + 3) & ~3);
        return next < start + totalLength ? next : -1;
    }

    /** Type of the attribute at {@code position}. */
    public int attributeType(int position) {
        return buf.getUnsignedShort(position);
    }

    /** Value length (without padding) of the attribute at {@code position}. */
    public int attributeLength(int position) {
        return buf.getUnsignedShort(position + 2);
    }

    /** Absolute index of the value of the attribute at {@code position}. */
    public int attributeValueOffset(int position) {
        return position + 4;
    }

    /**
     * Position of the first attribute of {@code type} that counts (i.e. not one after the integrity
     * or fingerprint attributes), or -1.
     */
    public int find(int type) {
        if (type == StunAttribute.MESSAGE_INTEGRITY) {
            return messageIntegrity;
        }
        if (type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
            return messageIntegritySha256;
        }
        if (type == StunAttribute.FINGERPRINT) {
            return fingerprint;
        }
        int pos = start + HEADER_LENGTH;
        while (pos < attributesEnd) {
            int length = buf.getUnsignedShort(pos + 2);
            if (buf.getUnsignedShort(pos) == type) {
                return pos;
            }
            pos += 4 + ((length + 3) & ~3);
        }
        return -1;
    }

    public boolean has(int type) {
        return find(type) >= 0;
    }

    /** Position of MESSAGE-INTEGRITY, or -1. */
    public int messageIntegrityPosition() {
        return messageIntegrity;
    }

    /** Position of MESSAGE-INTEGRITY-SHA256, or -1. */
    public int messageIntegritySha256Position() {
        return messageIntegritySha256;
    }

    /** Position of FINGERPRINT, or -1. */
    public int fingerprintPosition() {
        return fingerprint;
    }

    /** PRIORITY (unsigned 32 bit), or -1 if absent or not 4 bytes long. */
    public long priority() {
        int pos = find(StunAttribute.PRIORITY);
        if (pos < 0 || attributeLength(pos) != 4) {
            return -1;
        }
        return buf.getUnsignedInt(pos + 4);
    }

    /** Whether a well-formed (8 byte) attribute of {@code type} is present; used for ICE-CONTROLL(ED|ING). */
    public boolean hasTieBreaker(int type) {
        int pos = find(type);
        return pos >= 0 && attributeLength(pos) == 8;
    }

    /** The 64-bit tie-breaker of ICE-CONTROLLED/ICE-CONTROLLING; check {@link #hasTieBreaker} first. */
    public long tieBreaker(int type) {
        int pos = find(type);
        return pos >= 0 && attributeLength(pos) == 8 ? buf.getLong(pos + 4) : 0L;
    }

    /** Whether USERNAME is exactly {@code expected} (bytes compared in place). */
    public boolean usernameEquals(byte[] expected) {
        int pos = find(StunAttribute.USERNAME);
        return pos >= 0 && attributeLength(pos) == expected.length && regionEquals(pos + 4, expected);
    }

    /** Whether USERNAME starts with {@code prefix} (bytes compared in place). */
    public boolean usernameStartsWith(byte[] prefix) {
        int pos = find(StunAttribute.USERNAME);
        return pos >= 0 && attributeLength(pos) >= prefix.length && regionEquals(pos + 4, prefix);
    }

    private boolean regionEquals(int index, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (buf.getByte(index + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** The value of a text attribute (USERNAME, SOFTWARE, REALM...) as UTF-8, or null. Allocates. */
    public String attributeString(int type) {
        int pos = find(type);
        return pos < 0 ? null : buf.toString(pos + 4, attributeLength(pos), StandardCharsets.UTF_8);
    }

    /** ERROR-CODE as class * 100 + number, or -1 if absent or malformed. */
    public int errorCode() {
        int pos = find(StunAttribute.ERROR_CODE);
        if (pos < 0 || attributeLength(pos) < 4) {
            return -1;
        }
        int errorClass = buf.getByte(pos + 6) & 0x07;
        int number = buf.getUnsignedByte(pos + 7);
        if (errorClass < 3 || number > 99) {
            return -1;
        }
        return errorClass * 100 + number;
    }

    /** The ERROR-CODE reason phrase, or null. Allocates. */
    public String errorReason() {
        int pos = find(StunAttribute.ERROR_CODE);
        if (pos < 0 || attributeLength(pos) < 4) {
            return null;
        }
        return buf.toString(pos + 8, attributeLength(pos) - 4, StandardCharsets.UTF_8);
    }

    /**
     * Decodes XOR-MAPPED-ADDRESS (RFC 8489 §14.2), or returns null if absent or malformed.
     * Allocates the result: for tests, clients and the control path.
     */
    public InetSocketAddress xorMappedAddress() {
        int pos = find(StunAttribute.XOR_MAPPED_ADDRESS);
        if (pos < 0) {
            return null;
        }
        int length = attributeLength(pos);
        int value = pos + 4;
        int family = buf.getUnsignedByte(value + 1);
        int port = buf.getUnsignedShort(value + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == 0x01 && length == 8) {
            address = new byte[4];
            buf.getBytes(value + 4, address);
        } else if (family == 0x02 && length == 20) {
            address = new byte[16];
            buf.getBytes(value + 4, address);
        } else {
            return null;
        }
        for (int i = 0; i < address.length; i++) {
            // XOR with the magic cookie followed by the transaction id, which is what follows it in the header.
            address[i] ^= buf.getByte(start + 4 + i);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }
}
