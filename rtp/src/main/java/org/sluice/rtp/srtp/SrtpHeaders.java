package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;

/**
 * The few header facts SRTP needs, read with bounds checks from a buffer: the RTP header length
 * (12 + 4·CC + extension, RFC 3550 §5.1/§5.3.1) and the RTCP sender SSRC. Deliberately tiny so the
 * SRTP layer does not depend on the full RTP/RTCP views.
 */
final class SrtpHeaders {

    static final int RTP_FIXED_HEADER = 12;
    static final int RTCP_HEADER = 8;

    private SrtpHeaders() {
    }

    /**
     * The RTP header length of the packet at {@code [index, index + length)}, or -1 when the bytes are
     * not a version-2 RTP header that fits inside that range.
     */
    static int rtpHeaderLength(ByteBuf buf, int index, int length) {
        if (length < RTP_FIXED_HEADER) {
            return -1;
        }
        int b0 = buf.getUnsignedByte(index);
        if ((b0 >>> 6) != 2) {
            return -1;
        }
        int headerLength = RTP_FIXED_HEADER + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) {
            if (headerLength + 4 > length) {
                return -1;
            }
            headerLength += 4 + 4 * buf.getUnsignedShort(index + headerLength + 2);
        }
        return headerLength <= length ? headerLength : -1;
    }

    /** Whether the bytes at {@code index} start a version-2 RTCP packet header of {@code length} ≥ 8 bytes. */
    static boolean isRtcp(ByteBuf buf, int index, int length) {
        return length >= RTCP_HEADER && (buf.getUnsignedByte(index) >>> 6) == 2;
    }

    static int rtpSsrc(ByteBuf buf, int index) {
        return buf.getInt(index + 8);
    }

    static int rtpSequence(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + 2);
    }

    static int rtcpSsrc(ByteBuf buf, int index) {
        return buf.getInt(index + 4);
    }
}
