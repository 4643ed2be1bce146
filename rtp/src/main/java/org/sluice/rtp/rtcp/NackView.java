package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.util.function.IntConsumer;

/**
 * Read view of a generic NACK (RTPFB FMT=1, RFC 4585 §6.2.1): PID/BLP pairs. Lost sequence numbers
 * are delivered without allocation through {@link #forEachLost(IntConsumer)} (pass a consumer held
 * in a field, not a capturing lambda, on the hot path) or read pair by pair.
 */
public final class NackView extends FeedbackListView {
    /** Reason when the FCI is empty or not a whole number of 4-byte pairs. */
    public static final String BAD_FCI = "NACK FCI is not a non-empty list of PID/BLP pairs";

    /** A view not yet pointed at a packet. */
    public NackView() {
        super(RtcpPacketType.RTPFB, RtcpPacketType.FMT_NACK, 4, BAD_FCI);
    }

    /** Number of PID/BLP pairs. */
    public int pairCount() {
        return entries();
    }

    /** Packet ID of pair i. */
    public int pid(int i) {
        return buf.getUnsignedShort(entryAt(i));
    }

    /** Bitmask of following lost packets of pair i (bit j: PID+j+1 lost). */
    public int blp(int i) {
        return buf.getUnsignedShort(entryAt(i) + 2);
    }

    /** Calls {@code consumer} with every lost 16-bit sequence number, in packet order. */
    public void forEachLost(IntConsumer consumer) {
        int pairs = entries();
        for (int i = 0; i < pairs; i++) {
            int at = entryAt(i);
            int pid = buf.getUnsignedShort(at);
            int blp = buf.getUnsignedShort(at + 2);
            consumer.accept(pid);
            while (blp != 0) {
                int bit = Integer.numberOfTrailingZeros(blp);
                consumer.accept((pid + bit + 1) & 0xFFFF);
                blp &= blp - 1;
            }
        }
    }

    /** Number of lost sequence numbers the packet announces (duplicates across pairs counted). */
    public int lostCount() {
        int n = 0;
        int pairs = entries();
        for (int i = 0; i < pairs; i++) {
            n += 1 + Integer.bitCount(blp(i));
        }
        return n;
    }
}
