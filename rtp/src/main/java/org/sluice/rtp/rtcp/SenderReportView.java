package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of a sender report (RFC 3550 §6.4.1). Reusable; {@link #wrap(ByteBuf, int, int)} takes
 * one packet as delivered by {@link RtcpCompoundIterator}. Bytes after the report blocks (profile
 * extensions) are allowed and ignored.
 */
public final class SenderReportView {
    /** Reason when the report blocks announced by RC do not fit. */
    public static final String BLOCKS_PAST_END = "SR report blocks exceed the packet";
    private static final int FIXED = 28;

    private ByteBuf buf;
    private int offset;
    private String invalidReason;

    /** Points the view at one SR packet; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        String reason = RtcpHeader.check(buf, offset, length, RtcpPacketType.SR);
        if (reason == null) {
            int payload = length - RtcpHeader.padding(buf, offset, length);
            if (FIXED + RtcpHeader.countOrFmt(buf, offset) * ReportBlocks.SIZE > payload) {
                reason = BLOCKS_PAST_END;
            }
        }
        invalidReason = reason;
        return reason == null;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    public long senderSsrc() {
        return buf.getUnsignedInt(offset + 4);
    }

    /** The 64-bit NTP timestamp (seconds in the high 32 bits, fraction in the low 32 bits). */
    public long ntpTimestamp() {
        return buf.getLong(offset + 8);
    }

    /** The middle 32 bits of the NTP timestamp, the value receivers echo as LSR. */
    public long ntpMiddle32() {
        return buf.getUnsignedInt(offset + 10);
    }

    public long rtpTimestamp() {
        return buf.getUnsignedInt(offset + 16);
    }

    public long packetCount() {
        return buf.getUnsignedInt(offset + 20);
    }

    public long octetCount() {
        return buf.getUnsignedInt(offset + 24);
    }

    /** Number of report blocks (RC). */
    public int reportCount() {
        return RtcpHeader.countOrFmt(buf, offset);
    }

    private int block(int i) {
        if (i < 0 || i >= reportCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return offset + FIXED + i * ReportBlocks.SIZE;
    }

    public long blockSsrc(int i) {
        return ReportBlocks.ssrc(buf, block(i));
    }

    public int blockFractionLost(int i) {
        return ReportBlocks.fractionLost(buf, block(i));
    }

    /** Cumulative number of packets lost, signed 24-bit. */
    public int blockCumulativeLost(int i) {
        return ReportBlocks.cumulativeLost(buf, block(i));
    }

    public long blockExtendedHighestSequence(int i) {
        return ReportBlocks.extendedHighestSequence(buf, block(i));
    }

    public long blockJitter(int i) {
        return ReportBlocks.jitter(buf, block(i));
    }

    public long blockLastSr(int i) {
        return ReportBlocks.lastSr(buf, block(i));
    }

    public long blockDelaySinceLastSr(int i) {
        return ReportBlocks.delaySinceLastSr(buf, block(i));
    }
}
