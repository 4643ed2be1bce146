package org.sluice.bandwidth.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;
import org.sluice.rtp.testing.ThreadAllocation;

/**
 * A history that starts small and grows against one of full size from the start: the same sends and
 * the same feedback, from a simulated receiver, must yield the same results.
 */
class SendHistoryGrowthTest {
    private static final long MS = 1_000_000L;

    @Test
    void underAHighPacketRateTheHistoryGrowsAndReportsLikeAFullSizeOne() {
        for (long seed = 1; seed <= 6; seed++) {
            // no feedback lost: the in-flight count must match too
            Run run = new Run(seed, 2000 + 1000 * (int) seed, 0.03, 0.0, 0.02, 15);
            run.play();
            assertThat(run.growing.capacity()).as("seed %d", seed).isGreaterThan(SendHistory.DEFAULT_INITIAL_CAPACITY);
            assertThat(run.feedbacks).as("seed %d", seed).isGreaterThan(80);
            assertThat(run.packetsReported).as("seed %d", seed).isGreaterThan(run.sent / 2);
        }
    }

    @Test
    void withFeedbackLostTheResultsStillMatch() {
        for (long seed = 11; seed <= 16; seed++) {
            Run run = new Run(seed, 1000 * (int) (seed - 10), 0.05, 0.05, 0.02, 15);
            run.play();
            assertThat(run.feedbacks).as("seed %d", seed).isGreaterThan(80);
        }
    }

    @Test
    void aLowRateReceiverKeepsTheInitialSize() {
        // 150 packets/s (video and audio of about 1 Mbit/s), loss, lost feedback and feedback held for up to 1.1 s
        Run run = new Run(21, 150, 0.02, 0.05, 0.02, 120);
        run.play();
        assertThat(run.growing.capacity()).isEqualTo(SendHistory.DEFAULT_INITIAL_CAPACITY);
        assertThat(run.packetsReported).isGreaterThan(run.sent * 9 / 10);
    }

    @Test
    void packetsAwaitingFeedbackHeldForThreeSecondsAreKept() {
        SendHistory h = new SendHistory();
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(20_000);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[20_000]);
        TransportFeedbackView view = new TransportFeedbackView();
        PacketResults out = new PacketResults();
        // 1000 packets/s for 3 s, and no feedback until then
        for (int i = 0; i < 3000; i++) {
            h.onSent(i, 1000, i * MS, -1, false);
        }
        assertThat(h.capacity()).isEqualTo(4096);
        assertThat(h.inFlightPackets()).isEqualTo(3000);

        builder.reset(1, 2, 0, 0, 0);
        for (int i = 0; i < 3000; i++) {
            assertThat(builder.addReceived(i, 40_000 + i * 1000L)).isTrue();
        }
        buf.clear();
        int len = builder.write(buf);
        assertThat(view.wrap(buf, 0, len)).isTrue();
        assertThat(h.onFeedback(view, 3040 * MS, out)).isEqualTo(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(out.sendNanos(i)).isEqualTo(i * MS);
        }
        assertThat(h.inFlightPackets()).isZero();
        assertThat(h.unknownReported()).isZero();
    }

    @Test
    void packetsOnlyReportedLostOrSkippedDoNotHoldTheRingOpenBeyondTwoSeconds() {
        SendHistory h = new SendHistory(64, 1024);
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[1200]);
        TransportFeedbackView view = new TransportFeedbackView();
        PacketResults out = new PacketResults();
        // 100 packets/s for 10 s; each feedback covers 10 packets and reports the first of them lost
        for (int i = 0; i < 1000; i++) {
            h.onSent(i, 100, i * 10 * MS, -1, false);
            if (i % 10 == 9) {
                builder.reset(1, 2, i - 9, i * 10_000L, 0);
                for (int s = i - 8; s <= i; s++) {
                    builder.addReceived(s, s * 10_000L + 30_000);
                }
                buf.clear();
                int len = builder.write(buf);
                view.wrap(buf, 0, len);
                assertThat(h.onFeedback(view, i * 10 * MS + 40 * MS, out)).isEqualTo(10);
            }
        }
        // the lost packets are useful for 2 s: 200 packets, so 256 slots
        assertThat(h.capacity()).isEqualTo(256);
    }

    @Test
    void aGrownHistoryAllocatesNothingInSteadyState() {
        ThreadAllocation counter = ThreadAllocation.counterOrSkip();

        SendHistory h = new SendHistory();
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[1200]);
        TransportFeedbackView view = new TransportFeedbackView();
        PacketResults out = new PacketResults(512);
        // 5000 packets/s, feedback every 100 ms about the packets of 300 ms before: about 2000 in flight
        int seq = driveSteadily(h, builder, buf, view, out, 0, 3000);
        assertThat(h.capacity()).isEqualTo(2048);
        long before = counter.bytes();
        driveSteadily(h, builder, buf, view, out, seq, 100_000);
        long allocated = counter.bytes() - before;
        assertThat(allocated).as("bytes allocated for 100k packets").isLessThan(16 * 1024);
        assertThat(h.capacity()).isEqualTo(2048);
        assertThat(h.unknownReported()).isZero();
    }

    /** Sends {@code count} packets from {@code first}, 5 per ms, with feedback every 500 about the 1500 before. */
    private static int driveSteadily(SendHistory h, TransportFeedbackBuilder builder, ByteBuf buf,
                                     TransportFeedbackView view, PacketResults out, int first, int count) {
        for (int seq = first; seq < first + count; seq++) {
            long sendNanos = seq * (MS / 5);
            h.onSent(seq & 0xFFFF, 1000, sendNanos, -1, false);
            if (seq % 500 == 499 && seq >= 1999) {
                int base = seq - 1999;
                builder.reset(1, 2, base & 0xFFFF, base * 200L, 0);
                for (int s = base; s < base + 500; s++) {
                    builder.addReceived(s & 0xFFFF, s * 200L + 20_000);
                }
                buf.clear();
                int len = builder.write(buf);
                view.wrap(buf, 0, len);
                h.onFeedback(view, sendNanos, out);
            }
        }
        return first + count;
    }

    /**
     * One simulated transport: packets sent each millisecond at about {@code packetsPerSecond} over a
     * path with a wandering delay and {@code packetLoss}, a
     * receiver that reports them every 50 to 250 ms (those not arrived by then as lost, and now and
     * then again those of the last 100 to 800 ms, late arrivals included), feedback that takes 20 to
     * 60 ms back, is lost at {@code feedbackLoss} and is sometimes held for 1 to 1.1 s and delivered
     * at once. Every feedback goes to a growing history and to one of full size from the start; their
     * results must be equal (and their in-flight bytes too, when no feedback is lost).
     */
    private static final class Run {
        private static final long RECEIVER_CLOCK_OFFSET_US = 123_456_789L;

        final SendHistory growing = new SendHistory();
        final SendHistory full = new SendHistory(SendHistory.DEFAULT_CAPACITY);
        int feedbacks;
        long packetsReported;
        int sent;

        private final SplittableRandom random;
        private final int packetsPerSecond;
        private final double packetLoss;
        private final double feedbackLoss;
        private final double holdChance;
        private final int seconds;
        private final int firstSeq;
        private final List<long[]> packets = new ArrayList<>(); // send ns, arrival ns or -1
        private final PriorityQueue<Feedback> inFlight = new PriorityQueue<>();
        private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        private final ByteBuf buf = Unpooled.wrappedBuffer(new byte[1500]);
        private final TransportFeedbackView view = new TransportFeedbackView();
        private final PacketResults fromGrowing = new PacketResults();
        private final PacketResults fromFull = new PacketResults();
        private int nextToReport;
        private long nextFeedbackNanos;
        private long holdUntilNanos = Long.MIN_VALUE;
        private long order;
        private long delayUs = 60_000;

        Run(long seed, int packetsPerSecond, double packetLoss, double feedbackLoss, double holdChance, int seconds) {
            this.random = new SplittableRandom(seed);
            this.packetsPerSecond = packetsPerSecond;
            this.packetLoss = packetLoss;
            this.feedbackLoss = feedbackLoss;
            this.holdChance = holdChance;
            this.seconds = seconds;
            this.firstSeq = 65_000 + random.nextInt(1000); // wraps early
        }

        private record Feedback(long deliverNanos, long order, byte[] bytes) implements Comparable<Feedback> {
            @Override
            public int compareTo(Feedback o) {
                int c = Long.compare(deliverNanos, o.deliverNanos);
                return c != 0 ? c : Long.compare(order, o.order);
            }
        }

        void play() {
            double perMs = packetsPerSecond / 1000.0;
            double owed = 0;
            for (long now = 0; now < seconds * 1000 * MS; now += MS) {
                deliverUpTo(now);
                owed += perMs * (0.5 + random.nextDouble());
                int n = (int) owed;
                for (int k = 0; k < n; k++) {
                    send(now + k * MS / n);
                }
                owed -= n;
                if (now >= nextFeedbackNanos) {
                    report(now);
                    nextFeedbackNanos = now + (50 + random.nextInt(201)) * MS;
                }
            }
        }

        private void send(long sendNanos) {
            // a one-way delay wandering between 30 and 150 ms, and up to 0.5 ms of jitter
            delayUs = Math.max(30_000, Math.min(150_000, delayUs + random.nextInt(-100, 101)));
            long delay = (delayUs + random.nextInt(500)) * 1000;
            long arrival = random.nextDouble() < packetLoss ? -1 : sendNanos + delay;
            packets.add(new long[] {sendNanos, arrival});
            int seq = (firstSeq + sent) & 0xFFFF;
            int size = 200 + random.nextInt(1000);
            int probe = random.nextInt(20) == 0 ? random.nextInt(5) : -1;
            boolean padding = random.nextInt(10) == 0;
            growing.onSent(seq, size, sendNanos, probe, padding);
            full.onSent(seq, size, sendNanos, probe, padding);
            sent++;
        }

        /** The receiver's feedback at {@code now}: from the first packet not reported, or a stretch before it. */
        private void report(long now) {
            int from = nextToReport;
            if (random.nextInt(10) == 0) {
                // again the packets sent in the last 100 to 800 ms, late arrivals among them
                long back = (100 + random.nextInt(701)) * MS;
                while (from > 0 && now - packets.get(from - 1)[0] <= back) {
                    from--;
                }
            }
            int last = -1;
            for (int i = from; i < sent; i++) {
                long arrival = packets.get(i)[1];
                if (arrival >= 0 && arrival <= now) {
                    last = i;
                }
            }
            int i = from;
            while (i <= last) {
                i = writeFeedback(i, last, now);
            }
            nextToReport = Math.max(nextToReport, last + 1);
        }

        /** Writes one feedback from packet {@code from} up to {@code last}; returns the first not in it. */
        private int writeFeedback(int from, int last, long now) {
            int first = from;
            while (first <= last && !arrivedBy(first, now)) {
                first++;
            }
            long referenceUs = packets.get(first)[1] / 1000 + RECEIVER_CLOCK_OFFSET_US;
            builder.reset(1, 2, (firstSeq + from) & 0xFFFF, referenceUs, feedbacks);
            for (int i = from; i <= last; i++) {
                if (arrivedBy(i, now)
                        && !builder.addReceived((firstSeq + i) & 0xFFFF, packets.get(i)[1] / 1000 + RECEIVER_CLOCK_OFFSET_US)) {
                    break;
                }
            }
            buf.clear();
            int len = builder.write(buf);
            byte[] bytes = new byte[len];
            buf.getBytes(0, bytes);
            if (random.nextDouble() < holdChance) {
                holdUntilNanos = now + (1000 + random.nextInt(100)) * MS;
            }
            long deliver = Math.max(now + (20 + random.nextInt(40)) * MS, holdUntilNanos);
            if (random.nextDouble() >= feedbackLoss) {
                inFlight.add(new Feedback(deliver, order++, bytes));
            }
            // a full feedback ends at its last packet received: the next one reports the lost ones after it
            return from + builder.packetStatusCount();
        }

        private boolean arrivedBy(int packet, long now) {
            long arrival = packets.get(packet)[1];
            return arrival >= 0 && arrival <= now;
        }

        private void deliverUpTo(long now) {
            while (!inFlight.isEmpty() && inFlight.peek().deliverNanos() <= now) {
                Feedback f = inFlight.poll();
                ByteBuf b = Unpooled.wrappedBuffer(f.bytes());
                assertThat(view.wrap(b, 0, f.bytes().length)).as("%s", view.invalidReason()).isTrue();
                int n = growing.onFeedback(view, now, fromGrowing);
                int m = full.onFeedback(view, now, fromFull);
                assertSame(n, m, now);
                feedbacks++;
                packetsReported += n;
            }
        }

        private void assertSame(int n, int m, long now) {
            assertThat(n).as("results at %d ms, capacity %d", now / MS, growing.capacity()).isEqualTo(m);
            for (int i = 0; i < n; i++) {
                if (!sameResult(i)) {
                    assertThat(describe(fromGrowing, i)).as("result %d at %d ms", i, now / MS)
                            .isEqualTo(describe(fromFull, i));
                }
            }
            assertThat(fromGrowing.receivedCount()).isEqualTo(fromFull.receivedCount());
            if (feedbackLoss == 0) {
                assertThat(fromGrowing.inFlightBytesAfter()).as("in flight at %d ms", now / MS)
                        .isEqualTo(fromFull.inFlightBytesAfter());
                assertThat(growing.inFlightPackets()).isEqualTo(full.inFlightPackets());
            }
        }

        private boolean sameResult(int i) {
            return fromGrowing.sequence(i) == fromFull.sequence(i)
                    && fromGrowing.sendNanos(i) == fromFull.sendNanos(i)
                    && fromGrowing.arrivalNanos(i) == fromFull.arrivalNanos(i)
                    && fromGrowing.sizeBytes(i) == fromFull.sizeBytes(i)
                    && fromGrowing.probeClusterId(i) == fromFull.probeClusterId(i)
                    && fromGrowing.isRetransmissionOrPadding(i) == fromFull.isRetransmissionOrPadding(i);
        }

        private static String describe(PacketResults r, int i) {
            return "seq " + r.sequence(i) + " sent " + r.sendNanos(i) + " arrived " + r.arrivalNanos(i)
                    + " size " + r.sizeBytes(i) + " probe " + r.probeClusterId(i)
                    + " padding " + r.isRetransmissionOrPadding(i);
        }
    }
}
