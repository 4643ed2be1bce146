package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Read view of a source description packet (RFC 3550 §6.5). The whole chunk/item structure is
 * validated by {@link #wrap(ByteBuf, int, int)}, so the cursors and {@link #findCname(long)} need
 * no further checks.
 *
 * <pre>{@code
 * sdes.startChunks();
 * while (sdes.nextChunk()) {
 *     long ssrc = sdes.chunkSsrc();
 *     while (sdes.nextItem()) { int type = sdes.itemType(); int at = sdes.itemOffset(); ... }
 * }
 * }</pre>
 */
public final class SdesView {
    /** Item type END. */
    public static final int END = 0;
    /** Item type CNAME. */
    public static final int CNAME = 1;

    /** Reason when a chunk or item runs past the packet. */
    public static final String CHUNK_PAST_END = "SDES chunk exceeds the packet";
    /** Reason when a chunk's item list has no terminating null octet. */
    public static final String MISSING_END = "SDES chunk has no END item";

    private ByteBuf buf;
    private int offset;
    private int end;
    private int chunkCount;
    private String invalidReason;

    private int chunksLeft;
    private int nextChunkAt;
    private int chunkAt;
    private int itemAt;
    private int nextItemAt;

    private int foundOffset;
    private int foundLength;

    /** Points the view at one SDES packet and validates every chunk and item. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        String reason = RtcpHeader.check(buf, offset, length, RtcpPacketType.SDES);
        if (reason == null) {
            end = offset + length - RtcpHeader.padding(buf, offset, length);
            chunkCount = RtcpHeader.countOrFmt(buf, offset);
            reason = validateChunks();
        }
        invalidReason = reason;
        startChunks();
        return reason == null;
    }

    private String validateChunks() {
        int p = offset + 4;
        for (int c = 0; c < chunkCount; c++) {
            if (p > end - 4) {
                return CHUNK_PAST_END;
            }
            p = skipItems(p + 4);
            if (p < 0) {
                return p == -1 ? CHUNK_PAST_END : MISSING_END;
            }
        }
        return null;
    }

    /** Walks items from {@code p}; returns the start of the next chunk, -1 past end, -2 no END. */
    private int skipItems(int p) {
        while (true) {
            if (p >= end) {
                return -2;
            }
            int type = buf.getUnsignedByte(p);
            if (type == END) {
                int next = offset + (((p + 1 - offset) + 3) & ~3);
                return next <= end ? next : -1;
            }
            if (p > end - 2) {
                return -1;
            }
            int len = buf.getUnsignedByte(p + 1);
            if (p + 2 + len > end) {
                return -1;
            }
            p += 2 + len;
        }
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Number of chunks (SC). */
    public int chunkCount() {
        return chunkCount;
    }

    /** Rewinds the chunk cursor. */
    public void startChunks() {
        chunksLeft = invalidReason == null ? chunkCount : 0;
        nextChunkAt = offset + 4;
        chunkAt = -1;
        itemAt = -1;
    }

    /** Advances to the next chunk; false after the last. */
    public boolean nextChunk() {
        if (chunksLeft == 0) {
            return false;
        }
        chunksLeft--;
        chunkAt = nextChunkAt;
        nextItemAt = chunkAt + 4;
        itemAt = -1;
        nextChunkAt = skipItems(nextItemAt);
        return true;
    }

    /** SSRC/CSRC of the current chunk. */
    public long chunkSsrc() {
        return buf.getUnsignedInt(chunkAt);
    }

    /** Advances to the next item of the current chunk; false at END. */
    public boolean nextItem() {
        if (chunkAt < 0 || buf.getUnsignedByte(nextItemAt) == END) {
            return false;
        }
        itemAt = nextItemAt;
        nextItemAt = itemAt + 2 + buf.getUnsignedByte(itemAt + 1);
        return true;
    }

    /** Type of the current item (1 = CNAME, 2 = NAME, ...). */
    public int itemType() {
        return buf.getUnsignedByte(itemAt);
    }

    /** Offset of the current item's text in the buffer. */
    public int itemOffset() {
        return itemAt + 2;
    }

    /** Length in bytes of the current item's text. */
    public int itemLength() {
        return buf.getUnsignedByte(itemAt + 1);
    }

    /**
     * Finds the CNAME of {@code ssrc} without allocating; on success {@link #foundOffset()} and
     * {@link #foundLength()} locate its UTF-8 text. Leaves the chunk cursor rewound.
     */
    public boolean findCname(long ssrc) {
        startChunks();
        boolean found = false;
        while (!found && nextChunk()) {
            if (chunkSsrc() != ssrc) {
                continue;
            }
            while (nextItem()) {
                if (itemType() == CNAME) {
                    foundOffset = itemOffset();
                    foundLength = itemLength();
                    found = true;
                    break;
                }
            }
        }
        startChunks();
        return found;
    }

    /** Offset of the text found by the last successful {@link #findCname(long)}. */
    public int foundOffset() {
        return foundOffset;
    }

    /** Length of the text found by the last successful {@link #findCname(long)}. */
    public int foundLength() {
        return foundLength;
    }

    /** The CNAME of {@code ssrc} as a String (allocates: control plane only), or {@code null}. */
    public String cname(long ssrc) {
        return findCname(ssrc) ? buf.toString(foundOffset, foundLength, StandardCharsets.UTF_8) : null;
    }
}
