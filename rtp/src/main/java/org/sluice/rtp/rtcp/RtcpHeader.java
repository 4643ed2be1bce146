package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Validation and writing of the common 4-byte RTCP header shared by every view and writer.
 * Package-private: callers use the views.
 */
final class RtcpHeader {
    static final int SIZE = 4;

    static final String TOO_SHORT = "shorter than an RTCP header";
    static final String BAD_VERSION = "RTCP version is not 2";
    static final String BAD_LENGTH = "RTCP length field does not match the region";
    static final String BAD_PADDING = "RTCP padding count is invalid";
    static final String WRONG_TYPE = "wrong RTCP packet type or FMT";

    private RtcpHeader() {
    }

    /**
     * Checks the header of a single packet occupying exactly {@code length} bytes from {@code offset}.
     * Returns {@code null} when valid, otherwise a constant reason.
     */
    static String check(ByteBuf buf, int offset, int length, int packetType) {
        if (buf == null || offset < 0 || length < SIZE || offset > buf.capacity() - length) {
            return TOO_SHORT;
        }
        int b0 = buf.getUnsignedByte(offset);
        if ((b0 >>> 6) != 2) {
            return BAD_VERSION;
        }
        if (buf.getUnsignedByte(offset + 1) != packetType) {
            return WRONG_TYPE;
        }
        int declared = (buf.getUnsignedShort(offset + 2) + 1) * 4;
        if (declared != length) {
            return BAD_LENGTH;
        }
        if ((b0 & 0x20) != 0) {
            int pad = buf.getUnsignedByte(offset + length - 1);
            if (pad == 0 || pad > length - SIZE) {
                return BAD_PADDING;
            }
        }
        return null;
    }

    /** Bytes of padding at the end of a packet whose header was validated. */
    static int padding(ByteBuf buf, int offset, int length) {
        return (buf.getUnsignedByte(offset) & 0x20) != 0 ? buf.getUnsignedByte(offset + length - 1) : 0;
    }

    /** The count / FMT field. */
    static int countOrFmt(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset) & 0x1F;
    }

    /** Writes a header without padding at {@code index}; {@code lengthBytes} is a multiple of 4. */
    static void set(ByteBuf out, int index, int countOrFmt, int packetType, int lengthBytes) {
        out.setByte(index, 0x80 | (countOrFmt & 0x1F));
        out.setByte(index + 1, packetType);
        out.setShort(index + 2, lengthBytes / 4 - 1);
    }

    /** Writes a header without padding. */
    static void write(ByteBuf out, int countOrFmt, int packetType, int lengthBytes) {
        out.writeByte(0x80 | (countOrFmt & 0x1F));
        out.writeByte(packetType);
        out.writeShort(lengthBytes / 4 - 1);
    }
}
