package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/** The common part of RTPFB/PSFB packets (RFC 4585 §6.1). Package-private helper. */
final class FeedbackHeader {
    static final int SIZE = 12;
    static final String TOO_SHORT = "feedback packet shorter than 12 bytes";

    private FeedbackHeader() {
    }

    /** Checks header, type and FMT; returns null when valid. */
    static String check(ByteBuf buf, int offset, int length, int packetType, int fmt) {
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

    /** Bytes of FCI after the 12-byte header, padding excluded (header already checked). */
    static int fciLength(ByteBuf buf, int offset, int length) {
        return length - RtcpHeader.padding(buf, offset, length) - SIZE;
    }

    static void write(ByteBuf out, int fmt, int packetType, int length, long senderSsrc, long mediaSsrc) {
        RtcpHeader.write(out, fmt, packetType, length);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
    }
}
