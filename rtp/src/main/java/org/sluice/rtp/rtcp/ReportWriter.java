package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.util.List;

/** Writes sender and receiver reports (RFC 3550 §6.4) at the writer index of a {@code ByteBuf}. */
public final class ReportWriter {
    /** At most 31 report blocks fit the 5-bit RC field. */
    public static final int MAX_BLOCKS = 31;

    private ReportWriter() {
    }

    /**
     * Appends a sender report and returns the bytes written.
     *
     * @param ntpTimestamp 64-bit NTP timestamp (seconds high, fraction low)
     * @throws IllegalArgumentException with more than {@link #MAX_BLOCKS} blocks
     */
    public static int writeSenderReport(ByteBuf out, long senderSsrc, long ntpTimestamp, long rtpTimestamp,
                                        long packetCount, long octetCount, List<ReportBlock> blocks) {
        checkCount(blocks);
        int length = 28 + blocks.size() * ReportBlocks.SIZE;
        RtcpHeader.write(out, blocks.size(), RtcpPacketType.SR, length);
        out.writeInt((int) senderSsrc);
        out.writeLong(ntpTimestamp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
        for (int i = 0; i < blocks.size(); i++) {
            ReportBlocks.write(out, blocks.get(i));
        }
        return length;
    }

    /** Appends a receiver report and returns the bytes written. */
    public static int writeReceiverReport(ByteBuf out, long senderSsrc, List<ReportBlock> blocks) {
        checkCount(blocks);
        int length = 8 + blocks.size() * ReportBlocks.SIZE;
        RtcpHeader.write(out, blocks.size(), RtcpPacketType.RR, length);
        out.writeInt((int) senderSsrc);
        for (int i = 0; i < blocks.size(); i++) {
            ReportBlocks.write(out, blocks.get(i));
        }
        return length;
    }

    private static void checkCount(List<ReportBlock> blocks) {
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException("more than 31 report blocks: " + blocks.size());
        }
    }
}
