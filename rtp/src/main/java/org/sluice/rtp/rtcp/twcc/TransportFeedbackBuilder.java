package org.sluice.rtp.rtcp.twcc;

import io.netty.buffer.ByteBuf;

/**
 * Builds one transport-cc feedback packet from packets in transport sequence order, following
 * libwebrtc's {@code TransportFeedback}: packets missing between two added ones are reported as not
 * received; arrival times are quantized to 250 µs ticks against the running sum of the deltas
 * already written (so errors do not accumulate); a delta outside 0..255 ticks takes two bytes; a
 * delta outside the signed 16-bit range, a packet that would push the packet past its maximum size,
 * or a sequence number that is not newer makes {@link #addReceived} return false and leaves the
 * builder as it was, so the caller writes this packet and starts the next one.
 *
 * <p>Allocated once (per transport) with its maximum packet size; {@link #reset} starts a packet.
 * Adding and writing allocate nothing.
 */
public final class TransportFeedbackBuilder {
    /** Most packets one feedback packet can report. */
    public static final int MAX_STATUS_COUNT = 0xFFFF;
    private static final long TIME_WRAP_TICKS = 1L << 24;

    private final int maxPacketSize;
    private final int[] chunks;
    private final int[] deltas;
    private final StatusChunkEncoder last = new StatusChunkEncoder();
    private final StatusChunkEncoder saved = new StatusChunkEncoder();

    private long senderSsrc;
    private long mediaSsrc;
    private int baseSequence;
    private long baseTimeUs;
    private int feedbackPacketCount;
    private int statusCount;
    private int chunkCount;
    private int deltaCount;
    private int sizeBytes;
    private long lastTimestampUs;

    /**
     * @param maxPacketSize largest packet {@link #write} may produce, padding included; at least 24
     */
    public TransportFeedbackBuilder(int maxPacketSize) {
        if (maxPacketSize < 24 || maxPacketSize > 0x40000) {
            throw new IllegalArgumentException("maxPacketSize out of 24..262144: " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize & ~3;
        this.chunks = new int[maxPacketSize / 2];
        this.deltas = new int[maxPacketSize];
    }

    /**
     * Starts a new packet reporting from {@code baseSequence}. The reference time is
     * {@code referenceTimeUs} rounded down to 64 ms; arrival times given to {@link #addReceived}
     * are on the same clock.
     */
    public void reset(long senderSsrc, long mediaSsrc, int baseSequence, long referenceTimeUs,
                      int feedbackPacketCount) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSequence = baseSequence & 0xFFFF;
        this.baseTimeUs = Math.floorDiv(referenceTimeUs, TransportFeedbackView.REFERENCE_TICK_US)
                * TransportFeedbackView.REFERENCE_TICK_US;
        this.feedbackPacketCount = feedbackPacketCount & 0xFF;
        this.statusCount = 0;
        this.chunkCount = 0;
        this.deltaCount = 0;
        this.sizeBytes = TransportFeedbackView.HEADER_SIZE;
        this.lastTimestampUs = baseTimeUs;
        this.last.clear();
    }

    /**
     * Reports {@code sequenceNumber} as received at {@code arrivalTimeUs}, and any packets skipped
     * since the previous one as not received. Returns false, changing nothing, when it does not fit.
     */
    public boolean addReceived(int sequenceNumber, long arrivalTimeUs) {
        long deltaFull = arrivalTimeUs - lastTimestampUs;
        int half = TransportFeedbackView.DELTA_TICK_US / 2;
        deltaFull += deltaFull < 0 ? -half : half;
        deltaFull /= TransportFeedbackView.DELTA_TICK_US;
        if (deltaFull < Short.MIN_VALUE || deltaFull > Short.MAX_VALUE) {
            return false;
        }
        int delta = (int) deltaFull;
        int seq = sequenceNumber & 0xFFFF;
        int next = (baseSequence + statusCount) & 0xFFFF;
        int deltaSize = delta >= 0 && delta <= 0xFF ? 1 : 2;
        if (seq == next) {
            // addDeltaSize changes nothing when it refuses
            if (!addDeltaSize(deltaSize)) {
                return false;
            }
        } else {
            if (!isNewer(seq, (next - 1) & 0xFFFF)) {
                return false;
            }
            int savedStatus = statusCount;
            int savedChunks = chunkCount;
            int savedSize = sizeBytes;
            saved.copyFrom(last);
            boolean fits = true;
            for (; fits && next != seq; next = (next + 1) & 0xFFFF) {
                fits = addDeltaSize(0);
            }
            if (!fits || !addDeltaSize(deltaSize)) {
                restore(savedStatus, savedChunks, savedSize);
                return false;
            }
        }
        sizeBytes += deltaSize;
        deltas[deltaCount++] = delta;
        lastTimestampUs += (long) delta * TransportFeedbackView.DELTA_TICK_US;
        return true;
    }

    private void restore(int savedStatus, int savedChunks, int savedSize) {
        statusCount = savedStatus;
        chunkCount = savedChunks;
        sizeBytes = savedSize;
        last.copyFrom(saved);
    }

    /** RFC 1982-style "newer" test on 16-bit sequence numbers, as libwebrtc's IsNewerSequenceNumber. */
    static boolean isNewer(int seq, int previous) {
        int diff = (seq - previous) & 0xFFFF;
        if (diff == 0x8000) {
            return seq > previous;
        }
        return diff != 0 && diff < 0x8000;
    }

    private boolean addDeltaSize(int deltaSize) {
        if (statusCount == MAX_STATUS_COUNT) {
            return false;
        }
        int addChunk = last.isEmpty() ? 2 : 0;
        if (!fits(sizeBytes + deltaSize + addChunk)) {
            return false;
        }
        if (last.canAdd(deltaSize)) {
            sizeBytes += addChunk;
            last.add(deltaSize);
            statusCount++;
            return true;
        }
        if (!fits(sizeBytes + deltaSize + 2)) {
            return false;
        }
        chunks[chunkCount++] = last.emit();
        sizeBytes += 2;
        last.add(deltaSize);
        statusCount++;
        return true;
    }

    private boolean fits(int size) {
        return ((size + 3) & ~3) <= maxPacketSize;
    }

    /** Packets reported so far (received or not). */
    public int packetStatusCount() {
        return statusCount;
    }

    /** Packets reported as received so far. */
    public int receivedCount() {
        return deltaCount;
    }

    /** The sequence number after the last one reported. */
    public int nextSequenceNumber() {
        return (baseSequence + statusCount) & 0xFFFF;
    }

    /** Size {@link #write} will produce, padding included (0 when nothing was added). */
    public int packetSize() {
        return statusCount == 0 ? 0 : (sizeBytes + 3) & ~3;
    }

    /**
     * Appends the packet (padded to 32 bits with the RTCP padding rules when needed) and returns the
     * bytes written; writes nothing and returns 0 when no packet was added.
     */
    public int write(ByteBuf out) {
        if (statusCount == 0) {
            return 0;
        }
        int padding = (4 - (sizeBytes & 3)) & 3;
        int length = sizeBytes + padding;
        out.writeByte(0x80 | (padding > 0 ? 0x20 : 0) | TransportFeedbackView.FMT);
        out.writeByte(TransportFeedbackView.PACKET_TYPE);
        out.writeShort(length / 4 - 1);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
        out.writeShort(baseSequence);
        out.writeShort(statusCount);
        long ticks = Math.floorMod(baseTimeUs / TransportFeedbackView.REFERENCE_TICK_US, TIME_WRAP_TICKS);
        out.writeMedium((int) ticks);
        out.writeByte(feedbackPacketCount);
        for (int i = 0; i < chunkCount; i++) {
            out.writeShort(chunks[i]);
        }
        if (!last.isEmpty()) {
            out.writeShort(last.encodeLast());
        }
        for (int i = 0; i < deltaCount; i++) {
            int d = deltas[i];
            if (d >= 0 && d <= 0xFF) {
                out.writeByte(d);
            } else {
                out.writeShort(d);
            }
        }
        if (padding > 0) {
            out.writeZero(padding - 1);
            out.writeByte(padding);
        }
        return length;
    }
}
