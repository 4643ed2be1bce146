package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The part sender and receiver reports share (RFC 3550 §6.4): validation of the header and of the
 * RC report blocks after a fixed part, and the per-block accessors, which read through
 * {@link ReportBlocks}. Bytes after the report blocks (profile extensions) are allowed and ignored.
 * Package-private base of {@link SenderReportView} and {@link ReceiverReportView}.
 */
abstract class ReportPacketView extends RtcpPacketView {
    private final int packetType;
    private final int fixedLength;
    private final String blocksPastEnd;

    /**
     * @param packetType    SR or RR
     * @param fixedLength   bytes before the first report block, header included
     * @param blocksPastEnd the constant reason when the announced blocks do not fit
     */
    ReportPacketView(int packetType, int fixedLength, String blocksPastEnd) {
        this.packetType = packetType;
        this.fixedLength = fixedLength;
        this.blocksPastEnd = blocksPastEnd;
    }

    /** Points the view at one report packet; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        point(buf, offset);
        String reason = RtcpHeader.check(buf, offset, length, packetType);
        if (reason == null) {
            int payload = length - RtcpHeader.padding(buf, offset, length);
            if (fixedLength + RtcpHeader.countOrFmt(buf, offset) * ReportBlocks.SIZE > payload) {
                reason = blocksPastEnd;
            }
        }
        return result(reason);
    }

    /** Number of report blocks (RC). */
    public int reportCount() {
        return RtcpHeader.countOrFmt(buf, offset);
    }

    private int block(int i) {
        if (i < 0 || i >= reportCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return offset + fixedLength + i * ReportBlocks.SIZE;
    }

    /** SSRC of the source report block i is about. */
    public long blockSsrc(int i) {
        return ReportBlocks.ssrc(buf, block(i));
    }

    /** Fraction lost of block i, 0..255 (x/256). */
    public int blockFractionLost(int i) {
        return ReportBlocks.fractionLost(buf, block(i));
    }

    /** Cumulative number of packets lost, signed 24-bit. */
    public int blockCumulativeLost(int i) {
        return ReportBlocks.cumulativeLost(buf, block(i));
    }

    /** Extended highest sequence number received of block i. */
    public long blockExtendedHighestSequence(int i) {
        return ReportBlocks.extendedHighestSequence(buf, block(i));
    }

    /** Interarrival jitter of block i in timestamp units. */
    public long blockJitter(int i) {
        return ReportBlocks.jitter(buf, block(i));
    }

    /** LSR of block i: middle 32 bits of the NTP timestamp of the last SR. */
    public long blockLastSr(int i) {
        return ReportBlocks.lastSr(buf, block(i));
    }

    /** DLSR of block i in 1/65536 s. */
    public long blockDelaySinceLastSr(int i) {
        return ReportBlocks.delaySinceLastSr(buf, block(i));
    }
}
