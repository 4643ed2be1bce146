package org.sluice.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Cheap classifiers for demultiplexing datagrams on a shared port: RTP/RTCP versus the other
 * protocols by first byte (RFC 7983), then RTP versus RTCP by the second byte (RFC 5761 §4).
 * They read at most two bytes, check bounds first and never throw.
 */
public final class RtpPackets {

    private RtpPackets() {
    }

    /** Whether the first byte is in 128..191, the range RFC 7983 gives to RTP and RTCP. */
    public static boolean isRtpOrRtcp(ByteBuf buf, int offset) {
        if (buf == null || offset < 0 || offset >= buf.capacity()) {
            return false;
        }
        int b0 = buf.getUnsignedByte(offset);
        return b0 >= 128 && b0 <= 191;
    }

    /**
     * Whether the packet at {@code offset} is RTCP: the second byte (marker bit and payload type
     * of an RTP packet) is in 192..223, the RTCP packet types 192..223 that RFC 5761 keeps apart
     * from RTP payload types. The first byte is not inspected; combine with {@link #isRtpOrRtcp}.
     */
    public static boolean isRtcp(ByteBuf buf, int offset) {
        if (buf == null || offset < 0 || offset >= buf.capacity() - 1) {
            return false;
        }
        int b1 = buf.getUnsignedByte(offset + 1);
        return b1 >= 192 && b1 <= 223;
    }

    /**
     * Whether the {@code length} bytes at {@code offset} could be RTP: long enough for the fixed
     * header, version 2, and not RTCP. Does not validate CSRCs, extension or padding; wrap an
     * {@link RtpPacket} for that.
     */
    public static boolean looksLikeRtp(ByteBuf buf, int offset, int length) {
        if (buf == null || offset < 0 || length < RtpPacket.FIXED_HEADER_LENGTH
                || offset > buf.capacity() - length) {
            return false;
        }
        return (buf.getUnsignedByte(offset) >>> 6) == RtpPacket.VERSION && !isRtcp(buf, offset);
    }

    /** {@link #looksLikeRtp(ByteBuf, int, int)} over the readable bytes of {@code buf}. */
    public static boolean looksLikeRtp(ByteBuf buf) {
        return buf != null && looksLikeRtp(buf, buf.readerIndex(), buf.readableBytes());
    }
}
