package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/** Read view of a picture loss indication (PSFB FMT=1, RFC 4585 §6.3.1), which has no FCI. */
public final class PliView {
    private ByteBuf buf;
    private int offset;
    private String invalidReason;

    /** Points the view at one PLI packet; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        invalidReason = FeedbackHeader.check(buf, offset, length, RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI);
        return invalidReason == null;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    public long senderSsrc() {
        return buf.getUnsignedInt(offset + 4);
    }

    /** The SSRC whose picture was lost. */
    public long mediaSsrc() {
        return buf.getUnsignedInt(offset + 8);
    }

    /** Appends a PLI for {@code mediaSsrc}; returns the bytes written (12). */
    public static int write(ByteBuf out, long senderSsrc, long mediaSsrc) {
        FeedbackHeader.write(out, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, FeedbackHeader.SIZE,
                senderSsrc, mediaSsrc);
        return FeedbackHeader.SIZE;
    }
}
