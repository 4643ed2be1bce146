package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of a full intra request (PSFB FMT=4, RFC 5104 §4.3.1): FCI entries of target SSRC and
 * 8-bit command sequence number. The media source field should be 0 (RFC 5104), senders vary. Also
 * writes FIRs ({@link #write}).
 */
public final class FirView extends FeedbackListView {
    /** Reason when the FCI is empty or not a whole number of 8-byte entries. */
    public static final String BAD_FCI = "FIR FCI is not a non-empty list of 8-byte entries";

    /** A view not yet pointed at a packet. */
    public FirView() {
        super(RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, 8, BAD_FCI);
    }

    public int entryCount() {
        return entries();
    }

    /** SSRC of the encoder asked for a decoder refresh by entry i. */
    public long entrySsrc(int i) {
        return buf.getUnsignedInt(entryAt(i));
    }

    /** Command sequence number of entry i. */
    public int entrySequenceNumber(int i) {
        return buf.getUnsignedByte(entryAt(i) + 4);
    }

    /** Appends a FIR with one entry per {@code ssrcs[i]}/{@code sequenceNumbers[i]}; returns bytes written. */
    public static int write(ByteBuf out, long senderSsrc, long[] ssrcs, int[] sequenceNumbers) {
        if (ssrcs.length == 0 || ssrcs.length != sequenceNumbers.length) {
            throw new IllegalArgumentException("need matching, non-empty arrays");
        }
        int length = FeedbackHeader.SIZE + 8 * ssrcs.length;
        FeedbackHeader.write(out, RtcpPacketType.FMT_FIR, RtcpPacketType.PSFB, length, senderSsrc, 0);
        for (int i = 0; i < ssrcs.length; i++) {
            out.writeInt((int) ssrcs[i]);
            out.writeByte(sequenceNumbers[i]);
            out.writeMedium(0);
        }
        return length;
    }

    /** Appends a FIR with a single entry; returns bytes written (20). */
    public static int write(ByteBuf out, long senderSsrc, long ssrc, int sequenceNumber) {
        int length = FeedbackHeader.SIZE + 8;
        FeedbackHeader.write(out, RtcpPacketType.FMT_FIR, RtcpPacketType.PSFB, length, senderSsrc, 0);
        out.writeInt((int) ssrc);
        out.writeByte(sequenceNumber);
        out.writeMedium(0);
        return length;
    }
}
