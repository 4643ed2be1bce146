package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of a picture loss indication (PSFB FMT=1, RFC 4585 §6.3.1), which has no FCI; the media
 * source SSRC is the stream whose picture was lost.
 */
public final class PliView extends FeedbackPacketView {

    /** A view not yet pointed at a packet. */
    public PliView() {
        super(RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI);
    }

    /** A PLI has no FCI; bytes after the feedback header are ignored. */
    @Override
    String checkFci(int fciLength) {
        return null;
    }

    /** Appends a PLI for {@code mediaSsrc}; returns the bytes written (12). */
    public static int write(ByteBuf out, long senderSsrc, long mediaSsrc) {
        FeedbackHeader.write(out, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, FeedbackHeader.SIZE,
                senderSsrc, mediaSsrc);
        return FeedbackHeader.SIZE;
    }
}
