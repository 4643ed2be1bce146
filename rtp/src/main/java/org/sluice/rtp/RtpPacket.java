package org.sluice.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reusable view over one RTP packet (RFC 3550 §5.1) held in a region of a {@link ByteBuf}.
 *
 * <p>Allocate one per stream or transport and point it at each packet with {@link #wrap(ByteBuf)}
 * or {@link #wrap(ByteBuf, int, int)}. Wrapping validates the version, the CSRC list, the header
 * extension length and the padding count against the region's bounds once; afterwards every
 * accessor reads with absolute indexes inside the region and never throws. When wrapping fails,
 * {@link #invalidReason()} names the cause with a constant string, and the accessors must not be
 * used until the next successful wrap.
 *
 * <p>Setters rewrite header fields in place; the view never copies the packet nor changes the
 * buffer's reader or writer index.
 *
 * <p>Not thread-safe: a view belongs to the event loop of its transport.
 */
public final class RtpPacket {

    /** Bytes of the fixed RTP header (before CSRCs). */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Bytes of the extension header (profile and length) that precede extension data. */
    public static final int EXTENSION_HEADER_LENGTH = 4;
    /** The only RTP version this view accepts. */
    public static final int VERSION = 2;

    static final String NULL_BUFFER = "null buffer";
    static final String REGION_OUTSIDE_BUFFER = "region outside buffer";
    static final String TOO_SHORT = "shorter than fixed RTP header";
    static final String BAD_VERSION = "RTP version is not 2";
    static final String CSRC_OVERFLOW = "CSRC list exceeds packet";
    static final String EXTENSION_HEADER_OVERFLOW = "extension header exceeds packet";
    static final String EXTENSION_OVERFLOW = "extension data exceeds packet";
    static final String ZERO_PADDING = "padding count is zero";
    static final String PADDING_OVERFLOW = "padding exceeds payload";
    static final String NOT_WRAPPED = "not wrapped";

    private ByteBuf buf;
    private int offset;
    private int length;
    private int headerLength;
    private int paddingLength;
    private int extensionHeaderOffset = -1;
    private int extensionDataLength;
    private String invalidReason = NOT_WRAPPED;

    /** Points this view at the readable bytes of {@code buf} (reader index to writer index). */
    public boolean wrap(ByteBuf buf) {
        if (buf == null) {
            return invalid(NULL_BUFFER);
        }
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Points this view at {@code length} bytes of {@code buf} starting at absolute index
     * {@code offset}, and validates the header against that region.
     *
     * @return {@code true} when the region holds a well-formed RTP packet
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = null;
        extensionHeaderOffset = -1;
        extensionDataLength = 0;
        paddingLength = 0;
        if (buf == null) {
            return invalid(NULL_BUFFER);
        }
        if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
            return invalid(REGION_OUTSIDE_BUFFER);
        }
        if (length < FIXED_HEADER_LENGTH) {
            return invalid(TOO_SHORT);
        }
        int b0 = buf.getUnsignedByte(offset);
        if ((b0 >>> 6) != VERSION) {
            return invalid(BAD_VERSION);
        }
        int header = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (header > length) {
            return invalid(CSRC_OVERFLOW);
        }
        if ((b0 & 0x10) != 0) {
            if (header + EXTENSION_HEADER_LENGTH > length) {
                return invalid(EXTENSION_HEADER_OVERFLOW);
            }
            int dataLength = 4 * buf.getUnsignedShort(offset + header + 2);
            if (dataLength > length - header - EXTENSION_HEADER_LENGTH) {
                return invalid(EXTENSION_OVERFLOW);
            }
            extensionHeaderOffset = offset + header;
            extensionDataLength = dataLength;
            header += EXTENSION_HEADER_LENGTH + dataLength;
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            padding = buf.getUnsignedByte(offset + length - 1);
            if (padding == 0) {
                extensionHeaderOffset = -1;
                return invalid(ZERO_PADDING);
            }
            if (padding > length - header) {
                extensionHeaderOffset = -1;
                return invalid(PADDING_OVERFLOW);
            }
        }
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.headerLength = header;
        this.paddingLength = padding;
        this.invalidReason = null;
        return true;
    }

    private boolean invalid(String reason) {
        this.buf = null;
        this.extensionHeaderOffset = -1;
        this.invalidReason = reason;
        return false;
    }

    /** Whether the last wrap succeeded. */
    public boolean isValid() {
        return invalidReason == null;
    }

    /** Why the last wrap failed (a constant string), or {@code null} after a successful wrap. */
    public String invalidReason() {
        return invalidReason;
    }

    /** The buffer this view is pointed at ({@code null} when not validly wrapped). */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first byte of the packet. */
    public int offset() {
        return offset;
    }

    /** Length of the packet region in bytes (header, payload and padding). */
    public int length() {
        return length;
    }

    public int version() {
        return buf.getUnsignedByte(offset) >>> 6;
    }

    public boolean hasPadding() {
        return (buf.getByte(offset) & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf.getByte(offset) & 0x10) != 0;
    }

    public int csrcCount() {
        return buf.getByte(offset) & 0x0F;
    }

    /** The {@code index}-th contributing source, or -1 when {@code index} is out of range. */
    public long csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            return -1;
        }
        return buf.getUnsignedInt(offset + FIXED_HEADER_LENGTH + 4 * index);
    }

    public boolean marker() {
        return (buf.getByte(offset + 1) & 0x80) != 0;
    }

    public int payloadType() {
        return buf.getByte(offset + 1) & 0x7F;
    }

    public int sequenceNumber() {
        return buf.getUnsignedShort(offset + 2);
    }

    public long timestamp() {
        return buf.getUnsignedInt(offset + 4);
    }

    public long ssrc() {
        return buf.getUnsignedInt(offset + 8);
    }

    /** Bytes before the payload: fixed header, CSRC list and header extension (with its 4-byte header). */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** Payload bytes, not counting padding. */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** Padding bytes at the end of the packet, including the count byte; 0 without the P bit. */
    public int paddingLength() {
        return paddingLength;
    }

    /** The 16-bit "defined by profile" field of the header extension, or -1 without an extension. */
    public int extensionProfile() {
        return extensionHeaderOffset < 0 ? -1 : buf.getUnsignedShort(extensionHeaderOffset);
    }

    /** Absolute index of the extension header (profile field), or -1 without an extension. */
    public int extensionHeaderOffset() {
        return extensionHeaderOffset;
    }

    /** Absolute index of the first byte of extension data, or -1 without an extension. */
    public int extensionDataOffset() {
        return extensionHeaderOffset < 0 ? -1 : extensionHeaderOffset + EXTENSION_HEADER_LENGTH;
    }

    /** Bytes of extension data (a multiple of 4), 0 without an extension. */
    public int extensionDataLength() {
        return extensionDataLength;
    }

    /** Absolute index just past the CSRC list, where an extension header starts or would start. */
    public int csrcEndOffset() {
        return offset + FIXED_HEADER_LENGTH + 4 * csrcCount();
    }

    public void setMarker(boolean marker) {
        int b1 = buf.getByte(offset + 1);
        buf.setByte(offset + 1, marker ? (b1 | 0x80) : (b1 & 0x7F));
    }

    /** Sets the 7-bit payload type, keeping the marker bit. */
    public void setPayloadType(int payloadType) {
        int b1 = buf.getByte(offset + 1);
        buf.setByte(offset + 1, (b1 & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int sequenceNumber) {
        buf.setShort(offset + 2, sequenceNumber);
    }

    public void setTimestamp(long timestamp) {
        buf.setInt(offset + 4, (int) timestamp);
    }

    public void setSsrc(long ssrc) {
        buf.setInt(offset + 8, (int) ssrc);
    }
}
