package org.sluice.rtp.rtcp.twcc;

import io.netty.buffer.ByteBuf;

/**
 * Turns a series of (transport sequence number, arrival time or {@link #NOT_RECEIVED}) into as many
 * transport-cc feedback packets as it takes, appended back to back (a compound of RTPFB packets).
 * A new packet starts when the builder refuses a packet (delta beyond 16 bits, maximum size, or
 * the status count limit); the new packet's base is the first sequence number the previous one
 * did not report, so packets lost in between are still reported as not received.
 *
 * <p>Sequence numbers must increase (wrap allowed); an entry that is not newer than the one before
 * it is skipped. Entries not received after the last received one are not reported (as in
 * libwebrtc, a feedback packet ends at its last received packet).
 */
public final class TransportFeedbackSeries {
    /** Arrival time marking a packet that was not received. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;

    private TransportFeedbackSeries() {
    }

    /**
     * Appends feedback for entries {@code [from, to)} and returns the number of packets written;
     * their feedback packet counts run from {@code firstFeedbackCount} upward (mod 256).
     */
    public static int write(TransportFeedbackBuilder builder, ByteBuf out, long senderSsrc, long mediaSsrc,
                            int firstFeedbackCount, int[] sequenceNumbers, long[] arrivalTimesUs,
                            int from, int to) {
        int packets = 0;
        int feedbackCount = firstFeedbackCount;
        boolean open = false;
        int pendingBase = -1;
        int lastSeq = -1;
        for (int i = from; i < to; i++) {
            int seq = sequenceNumbers[i] & 0xFFFF;
            long arrival = arrivalTimesUs[i];
            if (lastSeq >= 0 && !TransportFeedbackBuilder.isNewer(seq, lastSeq)) {
                continue;
            }
            lastSeq = seq;
            if (arrival == NOT_RECEIVED) {
                if (!open && pendingBase < 0) {
                    pendingBase = seq;
                }
                continue;
            }
            if (!open) {
                builder.reset(senderSsrc, mediaSsrc, pendingBase >= 0 ? pendingBase : seq, arrival, feedbackCount);
                pendingBase = -1;
                open = true;
            }
            if (builder.addReceived(seq, arrival)) {
                continue;
            }
            if (builder.receivedCount() > 0) {
                builder.write(out);
                packets++;
                feedbackCount++;
            }
            builder.reset(senderSsrc, mediaSsrc, builder.nextSequenceNumber(), arrival, feedbackCount);
            if (!builder.addReceived(seq, arrival)) {
                builder.reset(senderSsrc, mediaSsrc, seq, arrival, feedbackCount);
                if (!builder.addReceived(seq, arrival)) {
                    open = false;
                }
            }
        }
        if (open && builder.receivedCount() > 0) {
            builder.write(out);
            packets++;
        }
        return packets;
    }
}
