package org.sluice.rtp.rtcp;

/**
 * Read view of a receiver report (RFC 3550 §6.4.2). Reusable; bytes after the report blocks
 * (profile extensions) are allowed and ignored. Wrapping and the report block accessors are those
 * every report shares.
 */
public final class ReceiverReportView extends ReportPacketView {
    /** Reason when the report blocks announced by RC do not fit. */
    public static final String BLOCKS_PAST_END = "RR report blocks exceed the packet";
    private static final int FIXED = 8;

    /** A view not yet pointed at a packet. */
    public ReceiverReportView() {
        super(RtcpPacketType.RR, FIXED, BLOCKS_PAST_END);
    }
}
