package org.sluice.rtp.rtcp.twcc;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.rtcp.FeedbackHeader;

/**
 * Read view of a transport-cc feedback packet (RTPFB FMT=15). {@link #wrap(ByteBuf, int, int)}
 * validates the header, walks every packet status chunk (run length, 1-bit and 2-bit status
 * vectors) and checks that the receive deltas they call for fit the packet. Then a cursor yields one
 * packet at a time without allocation:
 *
 * <pre>{@code
 * view.startPackets();
 * while (view.nextPacket()) {
 *     int seq = view.sequenceNumber();
 *     if (view.isReceived()) { long t = view.arrivalTimeUs(); ... }
 * }
 * }</pre>
 *
 * <p>The reference time is the 24-bit signed field of the draft, in multiples of 64 ms; arrival
 * times are that plus the running sum of receive deltas (250 µs units). The reserved 2-bit symbol
 * (3) is rejected, as libwebrtc does. Statuses a final vector chunk holds beyond the packet status
 * count are ignored.
 */
public final class TransportFeedbackView {
    /** RTCP packet type of transport-layer feedback. */
    public static final int PACKET_TYPE = 205;
    /** FMT of transport-cc feedback. */
    public static final int FMT = 15;
    /** One receive delta tick in microseconds. */
    public static final int DELTA_TICK_US = 250;
    /** One reference time tick in microseconds. */
    public static final int REFERENCE_TICK_US = 64_000;
    /** Header size: RTCP header, both SSRCs, base/count, reference time/count. */
    public static final int HEADER_SIZE = 20;

    /** Reason when the region is not a well-formed RTCP packet of this type. */
    public static final String NOT_TRANSPORT_CC = "not an RTPFB FMT=15 RTCP packet";
    /** Reason for a bad padding count. */
    public static final String BAD_PADDING = FeedbackHeader.BAD_PADDING;
    /** Reason when the fixed fields do not fit. */
    public static final String TOO_SHORT = "transport-cc feedback shorter than its header";
    /** Reason when chunks run out before the packet status count is covered. */
    public static final String CHUNKS_PAST_END = "transport-cc packet chunks exceed the packet";
    /** Reason for the reserved 2-bit symbol. */
    public static final String RESERVED_SYMBOL = "transport-cc reserved status symbol";
    /** Reason when the receive deltas do not fit. */
    public static final String DELTAS_PAST_END = "transport-cc receive deltas exceed the packet";

    private ByteBuf buf;
    private int offset;
    private int chunksAt;
    private int deltasAt;
    private int receivedCount;
    private long referenceTimeUs;
    private String invalidReason;

    private int remaining;
    private int chunkPos;
    private int chunk;
    private int chunkCapacity;
    private int inChunk;
    private int deltaPos;
    private int seq;
    private int status;
    private int delta;
    private long timeTicks;

    /** Points the view at one packet and validates it; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.remaining = 0;
        invalidReason = validate(buf, offset, length);
        startPackets();
        return invalidReason == null;
    }

    private String validate(ByteBuf buf, int offset, int length) {
        String header = FeedbackHeader.check(buf, offset, length, PACKET_TYPE, FMT);
        if (header != null) {
            return headerReason(buf, offset, header);
        }
        int end = offset + FeedbackHeader.SIZE + FeedbackHeader.fciLength(buf, offset, length);
        if (end - offset < HEADER_SIZE) {
            return TOO_SHORT;
        }
        int left = buf.getUnsignedShort(offset + 14);
        int p = offset + HEADER_SIZE;
        int deltaBytes = 0;
        int received = 0;
        while (left > 0) {
            if (p > end - 2) {
                return CHUNKS_PAST_END;
            }
            int c = buf.getUnsignedShort(p);
            p += 2;
            int n = Math.min(capacity(c), left);
            if ((c & 0x8000) == 0) {
                int s = symbol(c, 0);
                if (s == 3 && n > 0) {
                    return RESERVED_SYMBOL;
                }
                deltaBytes += n * s;
                received += s == 0 ? 0 : n;
                left -= n;
                continue;
            }
            for (int i = 0; i < n; i++) {
                int s = symbol(c, i);
                if (s == 3) {
                    return RESERVED_SYMBOL;
                }
                deltaBytes += s;
                received += s == 0 ? 0 : 1;
            }
            left -= n;
        }
        if (deltaBytes > end - p) {
            return DELTAS_PAST_END;
        }
        chunksAt = offset + HEADER_SIZE;
        deltasAt = p;
        receivedCount = received;
        referenceTimeUs = ((buf.getUnsignedMedium(offset + 16) << 8) >> 8) * (long) REFERENCE_TICK_US;
        return null;
    }

    /**
     * This view's reason for a failed feedback header check: a bad padding count of a packet that is
     * otherwise RTPFB FMT=15 stays {@link #BAD_PADDING}, a packet too short for the feedback header
     * is {@link #TOO_SHORT}, anything else (region, version, type, FMT, length field) is
     * {@link #NOT_TRANSPORT_CC}.
     */
    private static String headerReason(ByteBuf buf, int offset, String header) {
        if (header == FeedbackHeader.BAD_PADDING && FeedbackHeader.fmt(buf, offset) == FMT) {
            return BAD_PADDING;
        }
        return header == FeedbackHeader.TOO_SHORT ? TOO_SHORT : NOT_TRANSPORT_CC;
    }

    /** Statuses a chunk holds: its run length, 14 or 7. */
    static int capacity(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & 0x1FFF;
        }
        return (chunk & 0x4000) == 0 ? 14 : 7;
    }

    /** The i-th status symbol of a chunk (i below its capacity). */
    static int symbol(int chunk, int i) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >>> 13) & 3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >>> (13 - i)) & 1;
        }
        return (chunk >>> (2 * (6 - i))) & 3;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    public long senderSsrc() {
        return buf.getUnsignedInt(offset + 4);
    }

    public long mediaSsrc() {
        return buf.getUnsignedInt(offset + 8);
    }

    /** Transport sequence number of the first packet reported. */
    public int baseSequenceNumber() {
        return buf.getUnsignedShort(offset + 12);
    }

    /** Number of packets reported, received or not. */
    public int packetStatusCount() {
        return buf.getUnsignedShort(offset + 14);
    }

    /** Number of packets reported as received. */
    public int receivedCount() {
        return receivedCount;
    }

    /** Reference time in 64 ms ticks, the signed 24-bit field. */
    public int referenceTimeTicks() {
        return (buf.getUnsignedMedium(offset + 16) << 8) >> 8;
    }

    /** Reference time in microseconds. */
    public long referenceTimeUs() {
        return referenceTimeUs;
    }

    /** Feedback packet count, 8 bits. */
    public int feedbackPacketCount() {
        return buf.getUnsignedByte(offset + 19);
    }

    /** Rewinds the packet cursor to the base sequence number. */
    public void startPackets() {
        if (invalidReason != null) {
            remaining = 0;
            return;
        }
        remaining = packetStatusCount();
        chunkPos = chunksAt;
        chunkCapacity = 0;
        inChunk = 0;
        deltaPos = deltasAt;
        seq = (baseSequenceNumber() - 1) & 0xFFFF;
        timeTicks = 0;
    }

    /** Advances to the next reported packet; false after the last. */
    public boolean nextPacket() {
        if (remaining == 0) {
            return false;
        }
        while (inChunk >= chunkCapacity) {
            chunk = buf.getUnsignedShort(chunkPos);
            chunkPos += 2;
            chunkCapacity = capacity(chunk);
            inChunk = 0;
        }
        status = symbol(chunk, inChunk++);
        if (status == PacketStatus.RECEIVED_SMALL_DELTA) {
            delta = buf.getUnsignedByte(deltaPos++);
        } else if (status == PacketStatus.RECEIVED_LARGE_DELTA) {
            delta = buf.getShort(deltaPos);
            deltaPos += 2;
        } else {
            delta = 0;
        }
        timeTicks += delta;
        seq = (seq + 1) & 0xFFFF;
        remaining--;
        return true;
    }

    /** Transport sequence number of the current packet. */
    public int sequenceNumber() {
        return seq;
    }

    /** Status of the current packet, a {@link PacketStatus} constant. */
    public int status() {
        return status;
    }

    /** Whether the current packet was received. */
    public boolean isReceived() {
        return status != PacketStatus.NOT_RECEIVED;
    }

    /** Receive delta of the current packet in 250 µs ticks (0 when not received). */
    public int deltaTicks() {
        return delta;
    }

    /** Arrival time of the current (received) packet in µs, on the reference time's clock. */
    public long arrivalTimeUs() {
        return referenceTimeUs() + timeTicks * DELTA_TICK_US;
    }
}
