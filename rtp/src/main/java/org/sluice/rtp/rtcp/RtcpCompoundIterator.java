package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Walks the RTCP packets of one datagram region: a compound packet (RFC 3550 §6.1) or a
 * reduced-size packet (RFC 5506, a single packet of any type). Allocated once and reused.
 *
 * <pre>{@code
 * it.wrap(buf, offset, length);
 * while (it.next()) {
 *     switch (it.packetType()) { case RtcpPacketType.SR -> sr.wrap(buf, it.offset(), it.length()); ... }
 * }
 * if (it.invalidReason() != null) { ... packets before the malformed one were delivered ... }
 * }</pre>
 *
 * <p>Every packet header is validated: version 2, the length field within the region, a padding
 * count that fits the packet. Padding is accepted on any packet, not only on the last one: RFC 3550
 * §6.4.1 reserves it for the last packet of a compound, but libwebrtc sets it on transport-cc
 * feedback wherever that packet sits, and the padding count is self-describing; the strict mode
 * ({@link #RtcpCompoundIterator(boolean)}) follows the RFC. Packet types Sluice
 * has no view for (APP, XR, anything else) are delivered like the others with
 * {@link #isKnownType()} false; they are never an error. A malformed packet ends iteration;
 * {@link #invalidReason()} then says why.
 */
public final class RtcpCompoundIterator {
    /** Reason when fewer than 4 bytes remain. */
    public static final String TRUNCATED_HEADER = "truncated RTCP header";
    /** Reason for a version other than 2. */
    public static final String BAD_VERSION = RtcpHeader.BAD_VERSION;
    /** Reason when the length field points past the region. */
    public static final String LENGTH_PAST_END = "RTCP length field exceeds the datagram";
    /** Reason for an invalid padding count. */
    public static final String BAD_PADDING = RtcpHeader.BAD_PADDING;
    /** Reason for an empty region. */
    public static final String EMPTY = "empty RTCP datagram";
    /** Reason, in strict mode, for padding on a packet that is not the last of the datagram. */
    public static final String PADDING_NOT_LAST = "RTCP padding on a packet that is not the last";

    private final boolean strictPadding;

    private ByteBuf buf;
    private int end;
    private int nextOffset;
    private int offset;
    private int length;
    private int index;
    private String invalidReason;

    /** An iterator that accepts padding on any packet (what libwebrtc sends). */
    public RtcpCompoundIterator() {
        this(false);
    }

    /**
     * @param strictPadding when true, padding on any packet but the last one of the datagram is
     *                      malformed, as RFC 3550 §6.4.1 says
     */
    public RtcpCompoundIterator(boolean strictPadding) {
        this.strictPadding = strictPadding;
    }

    /**
     * Points the iterator at {@code length} bytes of {@code buf} from {@code offset}. Returns false
     * (with {@link #invalidReason()}) when the region is empty or outside the buffer.
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = -1;
        this.length = 0;
        this.index = -1;
        this.invalidReason = null;
        if (buf == null || offset < 0 || length <= 0 || offset > buf.capacity() - length) {
            this.end = 0;
            this.nextOffset = 0;
            this.invalidReason = EMPTY;
            return false;
        }
        this.nextOffset = offset;
        this.end = offset + length;
        return true;
    }

    /** Points the iterator at the readable bytes of {@code buf}. */
    public boolean wrap(ByteBuf buf) {
        return wrap(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Advances to the next packet; false at the end of the region or at a malformed packet. */
    public boolean next() {
        if (invalidReason != null || nextOffset >= end) {
            return false;
        }
        int at = nextOffset;
        if (end - at < RtcpHeader.SIZE) {
            return fail(TRUNCATED_HEADER);
        }
        int b0 = buf.getUnsignedByte(at);
        if ((b0 >>> 6) != 2) {
            return fail(BAD_VERSION);
        }
        int len = (buf.getUnsignedShort(at + 2) + 1) * 4;
        if (len > end - at) {
            return fail(LENGTH_PAST_END);
        }
        if ((b0 & 0x20) != 0) {
            int pad = buf.getUnsignedByte(at + len - 1);
            if (pad == 0 || pad > len - RtcpHeader.SIZE) {
                return fail(BAD_PADDING);
            }
            if (strictPadding && at + len != end) {
                return fail(PADDING_NOT_LAST);
            }
        }
        offset = at;
        length = len;
        nextOffset = at + len;
        index++;
        return true;
    }

    private boolean fail(String reason) {
        invalidReason = reason;
        offset = -1;
        length = 0;
        return false;
    }

    /** Why iteration stopped early, or {@code null} when every packet so far was well formed. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Offset of the current packet in the buffer. */
    public int offset() {
        return offset;
    }

    /** Length in bytes of the current packet, header and padding included. */
    public int length() {
        return length;
    }

    /** Zero-based position of the current packet in the datagram. */
    public int index() {
        return index;
    }

    /** The packet type (PT) of the current packet. */
    public int packetType() {
        return buf.getUnsignedByte(offset + 1);
    }

    /** The 5-bit count (RC/SC) or feedback message type (FMT) of the current packet. */
    public int countOrFmt() {
        return buf.getUnsignedByte(offset) & 0x1F;
    }

    /** Whether the current packet has its padding bit set. */
    public boolean hasPadding() {
        return (buf.getUnsignedByte(offset) & 0x20) != 0;
    }

    /** Bytes of padding at the end of the current packet. */
    public int paddingLength() {
        return RtcpHeader.padding(buf, offset, length);
    }

    /** Whether a view exists for this packet type; unknown packets are skipped by callers. */
    public boolean isKnownType() {
        return RtcpPacketType.isKnown(packetType());
    }

    /** Whether the current packet carries a sender SSRC (a packet of at least 8 bytes). */
    public boolean hasSenderSsrc() {
        return length >= 8;
    }

    /**
     * The SSRC in the 4 bytes after the header (the sender of SR/RR/feedback, the first chunk of
     * SDES, the first source of BYE, the source of APP), or -1 when the packet has no such field.
     */
    public long senderSsrc() {
        return length >= 8 ? buf.getUnsignedInt(offset + 4) : -1L;
    }

    /** The buffer being iterated. */
    public ByteBuf buffer() {
        return buf;
    }
}
