package org.sluice.bandwidth.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

class SendHistoryTest {
    private static final long MS = 1_000_000L;

    private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
    private final ByteBuf buf = Unpooled.wrappedBuffer(new byte[4096]);
    private final TransportFeedbackView view = new TransportFeedbackView();
    private final PacketResults out = new PacketResults(4);

    /** Feedback from base {@code base}: arrivals in µs per seq, {@link Long#MIN_VALUE} for lost. */
    private TransportFeedbackView feedback(int base, long referenceUs, int[] seqs, long[] arrivalsUs) {
        buf.clear();
        builder.reset(1, 2, base, referenceUs, 0);
        for (int i = 0; i < seqs.length; i++) {
            if (arrivalsUs[i] != Long.MIN_VALUE) {
                assertThat(builder.addReceived(seqs[i], arrivalsUs[i])).isTrue();
            }
        }
        int len = builder.write(buf);
        assertThat(view.wrap(buf, 0, len)).as("%s", view.invalidReason()).isTrue();
        return view;
    }

    @Test
    void feedbackYieldsSendAndArrivalTimesSizesAndProbeClusters() {
        SendHistory h = new SendHistory(64);
        h.onSent(10, 1000, 100 * MS, -1, false);
        h.onSent(11, 1100, 105 * MS, 3, true);
        h.onSent(12, 1200, 110 * MS, -1, false);
        assertThat(h.inFlightBytes()).isEqualTo(3300);
        assertThat(h.inFlightPackets()).isEqualTo(3);

        int n = h.onFeedback(feedback(10, 1_000_000, new int[] {10, 11, 12},
                new long[] {1_000_000, Long.MIN_VALUE, 1_012_000}), 200 * MS, out);

        assertThat(n).isEqualTo(3);
        assertThat(out.receivedCount()).isEqualTo(2);
        assertThat(out.lostCount()).isEqualTo(1);
        assertThat(out.sendNanos(0)).isEqualTo(100 * MS);
        assertThat(out.sizeBytes(1)).isEqualTo(1100);
        assertThat(out.probeClusterId(1)).isEqualTo(3);
        assertThat(out.isRetransmissionOrPadding(1)).isTrue();
        assertThat(out.isReceived(1)).isFalse();
        assertThat(out.arrivalNanos(1)).isEqualTo(PacketResults.NOT_RECEIVED);
        assertThat(out.arrivalNanos(2) - out.arrivalNanos(0)).isEqualTo(12 * MS);
        assertThat(out.sequence(2) - out.sequence(0)).isEqualTo(2);
        assertThat(h.inFlightBytes()).isZero();
        assertThat(out.inFlightBytesAfter()).isZero();
        assertThat(out.feedbackNanos()).isEqualTo(200 * MS);
    }

    @Test
    void sequenceNumbersWrapAcross65535() {
        SendHistory h = new SendHistory(64);
        int[] seqs = new int[10];
        long[] arrivals = new long[10];
        for (int i = 0; i < 10; i++) {
            seqs[i] = (65531 + i) & 0xFFFF;
            arrivals[i] = 500_000 + i * 1000L;
            h.onSent(seqs[i], 100, i * MS, -1, false);
        }
        assertThat(h.newestSequence() - (65531 + 0x10000L)).isEqualTo(9);

        int n = h.onFeedback(feedback(65531, 500_000, seqs, arrivals), 50 * MS, out);

        assertThat(n).isEqualTo(10);
        for (int i = 1; i < 10; i++) {
            assertThat(out.sequence(i) - out.sequence(i - 1)).isEqualTo(1);
            assertThat(out.sendNanos(i)).isEqualTo(i * MS);
        }
        assertThat(h.inFlightPackets()).isZero();
    }

    @Test
    void referenceTimeIsUnwrappedAcrossFeedbacks() {
        SendHistory h = new SendHistory(64);
        h.onSent(1, 100, 0, -1, false);
        h.onSent(2, 100, MS, -1, false);
        // reference ticks just below the 24-bit wrap, then just after it
        long wrapUs = (1L << 24) * TransportFeedbackView.REFERENCE_TICK_US;
        h.onFeedback(feedback(1, wrapUs - 64_000, new int[] {1}, new long[] {wrapUs - 64_000}), 10 * MS, out);
        long first = out.arrivalNanos(0);
        h.onFeedback(feedback(2, wrapUs, new int[] {2}, new long[] {wrapUs}), 80 * MS, out);
        assertThat(out.arrivalNanos(0) - first).isEqualTo(64 * MS);
    }

    @Test
    void duplicateFeedbackIsNotReportedTwiceButALateArrivalIs() {
        SendHistory h = new SendHistory(64);
        for (int i = 0; i < 3; i++) {
            h.onSent(i, 100, i * MS, -1, false);
        }
        h.onFeedback(feedback(0, 0, new int[] {0, 1, 2}, new long[] {0, Long.MIN_VALUE, 2000}), 10 * MS, out);
        assertThat(out.count()).isEqualTo(3);

        h.onFeedback(feedback(0, 0, new int[] {0, 1, 2}, new long[] {0, Long.MIN_VALUE, 2000}), 20 * MS, out);
        assertThat(out.count()).isZero();

        h.onFeedback(feedback(1, 0, new int[] {1}, new long[] {3000}), 30 * MS, out);
        assertThat(out.count()).isEqualTo(1);
        assertThat(out.isReceived(0)).isTrue();
        assertThat(h.inFlightBytes()).isZero();
    }

    @Test
    void packetsOlderThanSixtySecondsAreEvicted() {
        SendHistory h = new SendHistory(64);
        h.onSent(1, 100, 0, -1, false);
        h.onSent(2, 100, 30_000 * MS, -1, false);
        h.onSent(3, 100, 61_000 * MS, -1, false);
        assertThat(h.inFlightPackets()).isEqualTo(2);
        assertThat(h.inFlightBytes()).isEqualTo(200);

        int n = h.onFeedback(feedback(1, 0, new int[] {1, 2, 3}, new long[] {0, 1000, 2000}), 61_100 * MS, out);
        assertThat(n).isEqualTo(2);
        assertThat(out.sendNanos(0)).isEqualTo(30_000 * MS);
        assertThat(h.unknownReported()).isEqualTo(1);
    }

    @Test
    void aFullRingEvictsItsOldestEntries() {
        SendHistory h = new SendHistory(16);
        assertThat(h.capacity()).isEqualTo(16);
        for (int i = 0; i < 20; i++) {
            h.onSent(i, 10, i * MS, -1, false);
        }
        assertThat(h.inFlightPackets()).isEqualTo(16);
        assertThat(h.inFlightBytes()).isEqualTo(160);

        int[] seqs = new int[20];
        long[] arrivals = new long[20];
        for (int i = 0; i < 20; i++) {
            seqs[i] = i;
            arrivals[i] = i * 1000L;
        }
        int n = h.onFeedback(feedback(0, 0, seqs, arrivals), 30 * MS, out);
        assertThat(n).isEqualTo(16);
        assertThat(out.sendNanos(0)).isEqualTo(4 * MS);
        assertThat(h.unknownReported()).isEqualTo(4);
        assertThat(h.inFlightBytes()).isZero();
    }

    @Test
    void aJumpBeyondTheRingForgetsEverything() {
        SendHistory h = new SendHistory(16);
        h.onSent(0, 10, 0, -1, false);
        h.onSent(100, 10, MS, -1, false);
        assertThat(h.inFlightPackets()).isEqualTo(1);
        assertThat(h.inFlightBytes()).isEqualTo(10);
    }

    @Test
    void hostileFeedbackIsSkippedWithoutThrowing() {
        SendHistory h = new SendHistory(64);
        assertThat(h.onFeedback(feedback(5, 0, new int[] {5}, new long[] {0}), 0, out)).isZero();

        h.onSent(100, 10, 0, -1, false);
        h.onSent(101, 10, MS, -1, false);
        // never sent, newer than the newest, and far away
        assertThat(h.onFeedback(feedback(30_000, 0, new int[] {30_000, 30_001}, new long[] {0, 1000}), MS, out))
                .isZero();
        assertThat(h.onFeedback(feedback(102, 0, new int[] {102}, new long[] {0}), MS, out)).isZero();
        assertThat(h.unknownReported()).isEqualTo(3);
        assertThat(h.inFlightPackets()).isEqualTo(2);

        // an invalid view
        buf.clear();
        buf.writeBytes(new byte[] {(byte) 0x8F, (byte) 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0x7F, (byte) 0xFF});
        assertThat(view.wrap(buf, 0, 16)).isFalse();
        assertThat(h.onFeedback(view, MS, out)).isZero();

        // negative size, repeated and older sequence numbers are ignored
        h.onSent(7, -1, 2 * MS, -1, false);
        h.onSent(101, 10, 2 * MS, -1, false);
        h.onSent(50, 10, 2 * MS, -1, false);
        assertThat(h.inFlightPackets()).isEqualTo(2);
    }

    @Test
    void resultsGrowBeyondTheirInitialCapacity() {
        SendHistory h = new SendHistory(256);
        int[] seqs = new int[100];
        long[] arrivals = new long[100];
        for (int i = 0; i < 100; i++) {
            seqs[i] = i;
            arrivals[i] = i * 250L;
            h.onSent(i, 10, i * MS, -1, false);
        }
        assertThat(h.onFeedback(feedback(0, 0, seqs, arrivals), 200 * MS, out)).isEqualTo(100);
        assertThat(out.sendNanos(99)).isEqualTo(99 * MS);
    }
}
