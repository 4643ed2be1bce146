package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;

import java.util.zip.CRC32;

/**
 * FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute, XORed with 0x5354554e.
 * Keeps one {@link CRC32} and a scratch array for reuse; one instance per thread, not thread-safe.
 */
public final class StunFingerprint {

    /** The XOR constant ("STUN"). */
    public static final int XOR_CONSTANT = 0x5354554e;

    private final CRC32 crc = new CRC32();
    private byte[] scratch = new byte[512];

    /** True if the message has a FINGERPRINT and it matches. */
    public boolean verify(StunMessage message) {
        int position = message.fingerprintPosition();
        if (!message.isValid() || position < 0) {
            return false;
        }
        // FINGERPRINT is always last, so the header length already covers it.
        return compute(message.buffer(), message.offset(), position) == message.buffer().getInt(position + 4);
    }

    /** The FINGERPRINT value for bytes [from, to) of {@code buf}. */
    public int compute(ByteBuf buf, int from, int to) {
        int length = to - from;
        crc.reset();
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + from, length);
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buf.getBytes(from, scratch, 0, length);
            crc.update(scratch, 0, length);
        }
        return (int) crc.getValue() ^ XOR_CONSTANT;
    }

    /**
     * Appends a FINGERPRINT attribute at the writer index for the message starting at
     * {@code messageStart}, first setting the header length to include it.
     */
    void append(ByteBuf buf, int messageStart) {
        int position = buf.writerIndex();
        buf.setShort(messageStart + 2, position + 8 - messageStart - StunMessage.HEADER_LENGTH);
        int value = compute(buf, messageStart, position);
        buf.writeShort(StunAttribute.FINGERPRINT);
        buf.writeShort(StunAttribute.FINGERPRINT_LENGTH);
        buf.writeInt(value);
    }
}
