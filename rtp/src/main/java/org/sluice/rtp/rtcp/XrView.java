package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of an RTCP extended report (XR, RFC 3611): the sender SSRC, then report blocks, each
 * starting with a block type (BT), a type-specific byte and a length in 32-bit words minus one.
 * Sluice reads the two blocks that carry round-trip timing (§4.4, §4.5):
 *
 * <pre>
 *  RRTR (BT=4):  | BT=4 | reserved | block length = 2 |
 *                | NTP timestamp, most significant word  |
 *                | NTP timestamp, least significant word |
 *
 *  DLRR (BT=5):  | BT=5 | reserved | block length = 3n |
 *                | SSRC_i | last RR (LRR) | delay since last RR (DLRR) |   (n sub-blocks)
 * </pre>
 *
 * Other block types are walked over. {@link #wrap(ByteBuf, int, int)} validates the whole block
 * structure once (every block inside the packet, RRTR of length 2, DLRR of a multiple of 3 words),
 * so the cursor and accessors never read outside the packet afterwards and never throw.
 *
 * <pre>{@code
 * if (xr.wrap(buf, it.offset(), it.length())) {
 *     while (xr.nextBlock()) {
 *         if (xr.blockType() == XrView.BT_RRTR) { long ntp = xr.rrtrNtpTimestamp(); ... }
 *         for (int i = 0; i < xr.dlrrCount(); i++) { xr.dlrrSsrc(i); xr.dlrrLastRr(i); ... }
 *     }
 * }
 * }</pre>
 */
public final class XrView {
    /** Block type of the receiver reference time report. */
    public static final int BT_RRTR = 4;
    /** Block type of the delay since last receiver report block. */
    public static final int BT_DLRR = 5;
    /** Bytes of a report block header. */
    public static final int BLOCK_HEADER_SIZE = 4;
    /** Bytes of an RRTR block, header included. */
    public static final int RRTR_BLOCK_SIZE = 12;
    /** Bytes of one DLRR sub-block. */
    public static final int DLRR_SUB_BLOCK_SIZE = 12;

    /** Reason when the packet, padding excluded, has no room for the sender SSRC. */
    public static final String TOO_SHORT = "XR packet shorter than 8 bytes";
    /** Reason when a report block header or its declared length runs past the packet. */
    public static final String BLOCK_PAST_END = "XR report block exceeds the packet";
    /** Reason for an RRTR block whose length is not 2 words. */
    public static final String BAD_RRTR = "XR RRTR block length is not 2";
    /** Reason for a DLRR block whose length is not a multiple of 3 words. */
    public static final String BAD_DLRR = "XR DLRR block length is not a multiple of 3";

    private static final int FIRST_BLOCK = 8;

    private ByteBuf buf;
    private int offset;
    private int end;
    private int blockCount;
    private String invalidReason = TOO_SHORT;

    private int blockAt = -1;
    private int nextBlockAt;

    /** Points the view at one XR packet and validates every report block; false when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.blockCount = 0;
        String reason = RtcpHeader.check(buf, offset, length, RtcpPacketType.XR);
        if (reason == null) {
            end = offset + length - RtcpHeader.padding(buf, offset, length);
            reason = end - offset < FIRST_BLOCK ? TOO_SHORT : validateBlocks();
        }
        if (reason != null) {
            end = offset;
            blockCount = 0;
        }
        invalidReason = reason;
        startBlocks();
        return reason == null;
    }

    private String validateBlocks() {
        int p = offset + FIRST_BLOCK;
        int count = 0;
        while (p < end) {
            if (end - p < BLOCK_HEADER_SIZE) {
                return BLOCK_PAST_END;
            }
            int words = buf.getUnsignedShort(p + 2);
            int bytes = BLOCK_HEADER_SIZE + 4 * words;
            if (bytes > end - p) {
                return BLOCK_PAST_END;
            }
            int type = buf.getUnsignedByte(p);
            if (type == BT_RRTR && words != 2) {
                return BAD_RRTR;
            }
            if (type == BT_DLRR && words % 3 != 0) {
                return BAD_DLRR;
            }
            p += bytes;
            count++;
        }
        blockCount = count;
        return null;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** SSRC of the packet's originator (unsigned 32-bit); -1 when the last wrap failed. */
    public long senderSsrc() {
        return invalidReason == null ? buf.getUnsignedInt(offset + 4) : -1;
    }

    /** Number of report blocks, of any type. */
    public int blockCount() {
        return blockCount;
    }

    /** Rewinds the block cursor to before the first block. */
    public void startBlocks() {
        blockAt = -1;
        nextBlockAt = offset + FIRST_BLOCK;
    }

    /** Advances to the next report block; false after the last one (or when the wrap failed). */
    public boolean nextBlock() {
        if (invalidReason != null || nextBlockAt >= end) {
            blockAt = -1;
            return false;
        }
        blockAt = nextBlockAt;
        nextBlockAt = blockAt + BLOCK_HEADER_SIZE + 4 * buf.getUnsignedShort(blockAt + 2);
        return true;
    }

    /** Block type (BT) of the current block, or -1 when there is none. */
    public int blockType() {
        return blockAt < 0 ? -1 : buf.getUnsignedByte(blockAt);
    }

    /** The type-specific byte of the current block, or -1 when there is none. */
    public int blockTypeSpecific() {
        return blockAt < 0 ? -1 : buf.getUnsignedByte(blockAt + 1);
    }

    /** Absolute index of the current block's header, or -1 when there is none. */
    public int blockOffset() {
        return blockAt;
    }

    /** Bytes of the current block, header included; 0 when there is none. */
    public int blockLength() {
        return blockAt < 0 ? 0 : BLOCK_HEADER_SIZE + 4 * buf.getUnsignedShort(blockAt + 2);
    }

    /** Whether the current block is an RRTR block. */
    public boolean isRrtr() {
        return blockType() == BT_RRTR;
    }

    /**
     * The 64-bit NTP timestamp of the current RRTR block (seconds high, fraction low; negative as a
     * Java long for times after 1968), or 0 when the current block is not an RRTR block.
     */
    public long rrtrNtpTimestamp() {
        return isRrtr() ? buf.getLong(blockAt + BLOCK_HEADER_SIZE) : 0;
    }

    /** The middle 32 bits of the current RRTR timestamp (what a DLRR echoes as LRR), or -1. */
    public long rrtrNtpMiddle32() {
        return isRrtr() ? buf.getUnsignedInt(blockAt + BLOCK_HEADER_SIZE + 2) : -1;
    }

    /** Sub-blocks of the current block when it is a DLRR block, otherwise 0. */
    public int dlrrCount() {
        return blockType() == BT_DLRR ? buf.getUnsignedShort(blockAt + 2) / 3 : 0;
    }

    /** SSRC of DLRR sub-block {@code i} of the current block, or -1 when there is no such sub-block. */
    public long dlrrSsrc(int i) {
        return dlrrField(i, 0);
    }

    /** Last RR (LRR) of DLRR sub-block {@code i}, or -1 when there is no such sub-block. */
    public long dlrrLastRr(int i) {
        return dlrrField(i, 4);
    }

    /** Delay since last RR (DLRR, 1/65536 s) of sub-block {@code i}, or -1 when there is none. */
    public long dlrrDelaySinceLastRr(int i) {
        return dlrrField(i, 8);
    }

    private long dlrrField(int i, int at) {
        if (i < 0 || i >= dlrrCount()) {
            return -1;
        }
        return buf.getUnsignedInt(blockAt + BLOCK_HEADER_SIZE + DLRR_SUB_BLOCK_SIZE * i + at);
    }

    /** Moves the cursor to the first RRTR block; false (cursor past the end) when there is none. */
    public boolean findRrtr() {
        startBlocks();
        while (nextBlock()) {
            if (isRrtr()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the cursor to the first DLRR block with a sub-block for {@code ssrc} and returns that
     * sub-block's index, or -1 (cursor past the end) when no DLRR block answers {@code ssrc}.
     */
    public int findDlrr(long ssrc) {
        startBlocks();
        while (nextBlock()) {
            int n = dlrrCount();
            for (int i = 0; i < n; i++) {
                if (dlrrSsrc(i) == ssrc) {
                    return i;
                }
            }
        }
        return -1;
    }
}
