package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Writes RTCP extended reports (RFC 3611) carrying the blocks a receiver-only endpoint needs to
 * measure round-trip time: the receiver reference time report (RRTR, §4.4) and the reply to it, the
 * DLRR block (§4.5). Each method appends one complete XR packet with one block.
 */
public final class XrWriter {
    /** Bytes of the XR header: RTCP header and the sender SSRC. */
    public static final int HEADER_SIZE = 8;
    /** Bytes of an XR packet with one RRTR block. */
    public static final int RRTR_PACKET_SIZE = HEADER_SIZE + XrView.RRTR_BLOCK_SIZE;
    /** Bytes of an XR packet with one DLRR block of one sub-block. */
    public static final int DLRR_PACKET_SIZE = HEADER_SIZE + XrView.BLOCK_HEADER_SIZE + XrView.DLRR_SUB_BLOCK_SIZE;

    private XrWriter() {
    }

    /**
     * Appends an XR packet with one RRTR block and returns the bytes written.
     *
     * @param ntp64 the 64-bit NTP timestamp of sending (seconds high, fraction low)
     */
    public static int writeRrtr(ByteBuf out, long senderSsrc, long ntp64) {
        RtcpHeader.write(out, 0, RtcpPacketType.XR, RRTR_PACKET_SIZE);
        out.writeInt((int) senderSsrc);
        out.writeByte(XrView.BT_RRTR);
        out.writeByte(0);
        out.writeShort(2);
        out.writeLong(ntp64);
        return RRTR_PACKET_SIZE;
    }

    /**
     * Appends an XR packet with one DLRR block holding one sub-block and returns the bytes written.
     *
     * @param ssrc             the receiver whose RRTR is answered
     * @param lastRr           the middle 32 bits of that RRTR's NTP timestamp (LRR)
     * @param delaySinceLastRr the time between receiving it and sending this, in 1/65536 s (DLRR)
     */
    public static int writeDlrr(ByteBuf out, long senderSsrc, long ssrc, long lastRr, long delaySinceLastRr) {
        RtcpHeader.write(out, 0, RtcpPacketType.XR, DLRR_PACKET_SIZE);
        out.writeInt((int) senderSsrc);
        out.writeByte(XrView.BT_DLRR);
        out.writeByte(0);
        out.writeShort(3);
        out.writeInt((int) ssrc);
        out.writeInt((int) lastRr);
        out.writeInt((int) delaySinceLastRr);
        return DLRR_PACKET_SIZE;
    }
}
