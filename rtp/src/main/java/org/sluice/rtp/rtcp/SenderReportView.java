package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of a sender report (RFC 3550 §6.4.1). Reusable; {@link #wrap(ByteBuf, int, int)} takes
 * one packet as delivered by {@link RtcpCompoundIterator}. Bytes after the report blocks (profile
 * extensions) are allowed and ignored. Wrapping and the report block accessors are those every
 * report shares.
 */
public final class SenderReportView extends ReportPacketView {
    /** Reason when the report blocks announced by RC do not fit. */
    public static final String BLOCKS_PAST_END = "SR report blocks exceed the packet";
    private static final int FIXED = 28;

    /** A view not yet pointed at a packet. */
    public SenderReportView() {
        super(RtcpPacketType.SR, FIXED, BLOCKS_PAST_END);
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
}
