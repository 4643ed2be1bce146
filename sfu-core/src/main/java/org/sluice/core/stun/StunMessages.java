package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Stateless STUN helpers for demultiplexing and routing. */
public final class StunMessages {

    private StunMessages() {
    }

    /**
     * Cheap first-packet check (RFC 7983 demultiplexing, RFC 8489 §5): at least a header's worth of
     * bytes from {@code offset} up to the writer index, a first byte in 0..3 and the magic cookie.
     */
    public static boolean isStun(ByteBuf buf, int offset) {
        if (offset < 0 || buf.writerIndex() - offset < StunMessage.HEADER_LENGTH) {
            return false;
        }
        int first = buf.getUnsignedByte(offset);
        return first <= 3 && buf.getInt(offset + 4) == StunMessage.MAGIC_COOKIE;
    }

    /**
     * The local ufrag of an ICE check, i.e. the part of USERNAME ("localUfrag:remoteUfrag", RFC 8445
     * §7.2.2) before the first colon, or null when the message has no such USERNAME. Allocates:
     * used on the control path to tie a new remote address to its transport.
     */
    public static String localUfrag(StunMessage message) {
        if (!message.isValid()) {
            return null;
        }
        int position = message.find(StunAttribute.USERNAME);
        if (position < 0) {
            return null;
        }
        ByteBuf buf = message.buffer();
        int value = message.attributeValueOffset(position);
        int length = message.attributeLength(position);
        for (int i = 0; i < length; i++) {
            if (buf.getByte(value + i) == ':') {
                return i == 0 ? null : buf.toString(value, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
