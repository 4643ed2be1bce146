package org.sluice.bandwidth.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;

/**
 * Receiver of one flow: remembers arrivals (on its own clock, offset from the simulation's) and
 * every {@link #INTERVAL_NANOS} writes transport-cc feedback for everything since the last one,
 * starting at the first sequence number not yet reported so that losses in between are reported.
 */
final class SimReceiver {
    static final long INTERVAL_NANOS = 50_000_000L;
    private static final long CLOCK_OFFSET_US = 7_777_777_777L;

    private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
    private final ByteBuf out = Unpooled.wrappedBuffer(new byte[1 << 16]);
    private int[] seqs = new int[1024];
    private long[] arrivalsUs = new long[1024];
    private int count;
    private int nextBase = -1;
    private int feedbackCount;
    private long nextFeedbackNanos = INTERVAL_NANOS;

    void onPacket(SimPacket p) {
        if (count == seqs.length) {
            seqs = Arrays.copyOf(seqs, count * 2);
            arrivalsUs = Arrays.copyOf(arrivalsUs, count * 2);
        }
        seqs[count] = p.transportSeq;
        arrivalsUs[count++] = p.arrivalNanos / 1000 + CLOCK_OFFSET_US;
        if (nextBase < 0) {
            nextBase = p.transportSeq;
        }
    }

    /** Feedback bytes due at {@code nowNanos} (a compound of RTPFB packets), or null. */
    byte[] maybeFeedback(long nowNanos) {
        if (nowNanos < nextFeedbackNanos) {
            return null;
        }
        nextFeedbackNanos += INTERVAL_NANOS;
        if (count == 0) {
            return null;
        }
        out.clear();
        builder.reset(1, 2, nextBase, arrivalsUs[0], feedbackCount++);
        for (int i = 0; i < count; i++) {
            if (builder.addReceived(seqs[i], arrivalsUs[i])) {
                continue;
            }
            builder.write(out);
            builder.reset(1, 2, builder.nextSequenceNumber(), arrivalsUs[i], feedbackCount++);
            if (!builder.addReceived(seqs[i], arrivalsUs[i])) {
                builder.reset(1, 2, seqs[i], arrivalsUs[i], feedbackCount++);
                builder.addReceived(seqs[i], arrivalsUs[i]);
            }
        }
        builder.write(out);
        nextBase = (seqs[count - 1] + 1) & 0xFFFF;
        count = 0;
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(0, bytes);
        return bytes;
    }
}
