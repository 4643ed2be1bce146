package org.sluice.bandwidth.feedback;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.seq.SequenceUnwrapper;

import java.util.Arrays;

/**
 * Records the arrival time of every packet of one transport by its transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) and writes transport-cc feedback for what
 * arrived since the last feedback: received packets with their arrival times, the ones in between as
 * lost. The caller sends feedback on a timer (every 50–100 ms) and sooner when {@link #lossSeen()}
 * says packets went missing.
 *
 * <p>A ring of arrival times indexed by the unwrapped sequence number; nothing is allocated after
 * construction. One thread (the transport's loop).
 */
public final class TransportCcRecorder {

    /** Packets one feedback round may report; older unreported ones are skipped. */
    private static final int MAX_REPORT_SPAN = 2048;
    private static final long NOT_RECEIVED = Long.MIN_VALUE;

    private final int mask;
    private final long[] arrivalsUs;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
    private boolean started;
    /** The first sequence number not reported yet. */
    private long nextToReport;
    private long highest;
    private int missingSinceReport;
    private int feedbackCount;
    private long packetsRecorded;
    private long packetsIgnored;

    /** @param capacity packets remembered, a power of two (e.g. 4096) */
    public TransportCcRecorder(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < MAX_REPORT_SPAN) {
            throw new IllegalArgumentException("capacity must be a power of two of at least " + MAX_REPORT_SPAN);
        }
        mask = capacity - 1;
        arrivalsUs = new long[capacity];
        Arrays.fill(arrivalsUs, NOT_RECEIVED);
    }

    /** A packet with transport-wide sequence number {@code sequence} arrived at {@code arrivalNanos}. */
    public void onPacket(int sequence, long arrivalNanos) {
        long unwrapped = unwrapper.unwrap(sequence);
        if (!started) {
            started = true;
            nextToReport = unwrapped;
            highest = unwrapped;
        } else if (unwrapped < nextToReport) {
            packetsIgnored++; // reported already (as lost): too late to tell
            return;
        } else if (unwrapped > highest) {
            if (unwrapped - highest > 1) {
                missingSinceReport += (int) Math.min(Integer.MAX_VALUE, unwrapped - highest - 1);
            }
            if (unwrapped - nextToReport >= mask) {
                // Far ahead of what is unreported: forget the unreported span.
                clear(nextToReport, highest);
                nextToReport = unwrapped;
            }
            highest = unwrapped;
        } else if (missingSinceReport > 0) {
            missingSinceReport--; // a reordered packet filled a hole
        }
        arrivalsUs[(int) (unwrapped & mask)] = Math.floorDiv(arrivalNanos, 1000);
        packetsRecorded++;
    }

    /** Whether packets went missing since the last feedback (send it early). */
    public boolean lossSeen() {
        return missingSinceReport > 0;
    }

    /** Whether anything arrived that was not reported yet. */
    public boolean hasUnreported() {
        return started && nextToReport <= highest;
    }

    /**
     * Appends feedback packets (as many as needed, usually one) reporting everything from the last
     * report up to the newest packet, and returns how many it wrote; 0 when nothing is unreported.
     */
    public int writeFeedback(ByteBuf out, long senderSsrc, long mediaSsrc) {
        if (!hasUnreported()) {
            return 0;
        }
        if (highest - nextToReport >= MAX_REPORT_SPAN) {
            clear(nextToReport, highest - MAX_REPORT_SPAN);
            nextToReport = highest - MAX_REPORT_SPAN + 1;
        }
        int written = 0;
        boolean open = false;
        for (long seq = nextToReport; seq <= highest; seq++) {
            int slot = (int) (seq & mask);
            long arrival = arrivalsUs[slot];
            if (arrival == NOT_RECEIVED) {
                continue;
            }
            arrivalsUs[slot] = NOT_RECEIVED;
            if (!open) {
                // The report starts at the first unreported number, lost or not, so a loss right after the
                // previous report is told too; its reference time is the first arrival.
                builder.reset(senderSsrc, mediaSsrc, (int) nextToReport, arrival, feedbackCount++);
                open = true;
            }
            if (!builder.addReceived((int) seq, arrival)) {
                builder.write(out);
                written++;
                builder.reset(senderSsrc, mediaSsrc, (int) seq, arrival, feedbackCount++);
                builder.addReceived((int) seq, arrival);
            }
        }
        if (open && builder.write(out) > 0) {
            written++;
        }
        nextToReport = highest + 1;
        missingSinceReport = 0;
        return written;
    }

    private void clear(long from, long to) {
        if (to - from >= mask) {
            Arrays.fill(arrivalsUs, NOT_RECEIVED);
            return;
        }
        for (long seq = from; seq <= to; seq++) {
            arrivalsUs[(int) (seq & mask)] = NOT_RECEIVED;
        }
    }

    public long packetsRecorded() {
        return packetsRecorded;
    }

    /** Packets that arrived after their sequence number had been reported. */
    public long packetsIgnored() {
        return packetsIgnored;
    }
}
