package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The common part of RTPFB/PSFB packets (RFC 4585 §6.1): the RTCP header, then sender and media
 * source SSRC. The one header check every feedback view makes, the ones of this package through
 * {@link FeedbackPacketView} and transport-cc feedback in {@link org.sluice.rtp.rtcp.twcc}; not
 * meant for application code, which reads packets through the views.
 */
public final class FeedbackHeader {
    /** Bytes of RTCP header plus the two SSRCs. */
    public static final int SIZE = 12;
    /** Reason when the packet, padding excluded, is shorter than {@link #SIZE}. */
    public static final String TOO_SHORT = "feedback packet shorter than 12 bytes";
    /** Reason when the padding count is zero or covers more than the packet after its header. */
    public static final String BAD_PADDING = RtcpHeader.BAD_PADDING;

    private FeedbackHeader() {
    }

    /**
     * Checks that {@code [offset, offset + length)} holds exactly one RTCP packet of
     * {@code packetType} and {@code fmt} (version, length field, padding count) with a full feedback
     * header. Never reads outside the region.
     *
     * @return {@code null} when valid, otherwise a constant reason ({@link #TOO_SHORT},
     *         {@link #BAD_PADDING} or another constant of the RTCP header check)
     */
    public static String check(ByteBuf buf, int offset, int length, int packetType, int fmt) {
        String reason = RtcpHeader.check(buf, offset, length, packetType);
        if (reason != null) {
            return reason;
        }
        if (RtcpHeader.countOrFmt(buf, offset) != fmt) {
            return RtcpHeader.WRONG_TYPE;
        }
        if (length - RtcpHeader.padding(buf, offset, length) < SIZE) {
            return TOO_SHORT;
        }
        return null;
    }

    /** The FMT field of a packet whose first byte is readable. */
    public static int fmt(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFmt(buf, offset);
    }

    /** Bytes of FCI after the 12-byte header, padding excluded (header already checked). */
    public static int fciLength(ByteBuf buf, int offset, int length) {
        return length - RtcpHeader.padding(buf, offset, length) - SIZE;
    }

    static void write(ByteBuf out, int fmt, int packetType, int length, long senderSsrc, long mediaSsrc) {
        RtcpHeader.write(out, fmt, packetType, length);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
    }
}
