package org.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.bandwidth.gcc.GoogCcEstimator;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The send side of congestion control per packet and per transport-cc feedback: {@link GoogCcEstimator#onPacketSent}
 * for each packet and {@link GoogCcEstimator#onTransportFeedback} for a feedback reporting {@value Link#BATCH}
 * packets, built with {@code rtp}'s {@link TransportFeedbackBuilder} and parsed by a {@link TransportFeedbackView} as
 * the transport receives it.
 *
 * <p>The link: 1200-byte packets every 1.6 ms (6 Mbit/s), arriving 10 ms later with up to 1 ms of random jitter;
 * one packet in 100 lost (one in every other feedback). A round sends {@value Link#BATCH} packets and then applies
 * the feedback for the previous round's {@value Link#BATCH}, as a receiver that reports every 80 ms would; the
 * estimator's clocks only move forward.
 *
 * <ul>
 *   <li>{@code onPacketSent}: the {@value Link#BATCH} sends of a round, per packet (the feedback is applied
 *       in the invocation's teardown, outside the measurement).</li>
 *   <li>{@code onTransportFeedback}: one feedback (built and parsed in the invocation's setup), per feedback;
 *       divide by {@value Link#BATCH} for per packet.</li>
 *   <li>{@code round}: the whole round (sends, build, parse, feedback) with no per-invocation fixture, per
 *       round, as a cross-check of the two.</li>
 * </ul>
 * {@code gc.alloc.rate.norm} covers the fixtures too; it should be 0 B/op for all three.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TransportFeedbackBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportFeedbackBenchmark {

    /** A sender, its estimator, and the receiver's feedback for it. */
    @State(Scope.Thread)
    public abstract static class Link {

        static final int BATCH = 50;
        private static final int SIZE = 1200;
        private static final long SEND_INTERVAL_NANOS = 1_600_000L;
        private static final long DELAY_NANOS = 10_000_000L;
        private static final long JITTER_NANOS = 1_000_000L;

        final GoogCcEstimator estimator = new GoogCcEstimator();
        final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        final TransportFeedbackView view = new TransportFeedbackView();
        final SplittableRandom random = new SplittableRandom(7);
        final long[] previousSent = new long[BATCH];
        final long[] sent = new long[BATCH];
        ByteBuf wire;
        long now = 1_000_000_000_000L;
        int sequence = 65_000;
        int previousFirst = -1;
        int rounds;
        long feedbacks;

        @Setup(Level.Trial)
        public void setUpLink() {
            wire = Unpooled.buffer(1500);
        }

        @TearDown(Level.Trial)
        public void tearDownLink() {
            wire.release();
            // Every feedback must have matched the history: at most two rounds in flight.
            if (feedbacks < 100 || estimator.targetBitrateBps() <= 0
                    || estimator.inFlightBytes() > 2L * BATCH * SIZE) {
                throw new IllegalStateException(feedbacks + " feedbacks, target " + estimator.targetBitrateBps()
                        + ", in flight " + estimator.inFlightBytes());
            }
        }

        /** Sends this round's packets (the previous round's become what the feedback reports). */
        void send() {
            System.arraycopy(sent, 0, previousSent, 0, BATCH);
            previousFirst = rounds == 0 ? -1 : (sequence - BATCH) & 0xFFFF;
            for (int i = 0; i < BATCH; i++) {
                now += SEND_INTERVAL_NANOS;
                sent[i] = now;
                estimator.onPacketSent(sequence, SIZE, now, -1, false);
                sequence = (sequence + 1) & 0xFFFF;
            }
            rounds++;
        }

        /** Builds and parses the feedback for the previous round; false in the first round. */
        boolean buildFeedback() {
            if (previousFirst < 0) {
                return false;
            }
            boolean loss = (rounds & 1) == 0;
            wire.clear();
            long firstArrivalUs = (previousSent[0] + DELAY_NANOS) / 1000;
            builder.reset(1, 2, previousFirst, firstArrivalUs, rounds);
            for (int i = 0; i < BATCH; i++) {
                if (loss && i == BATCH / 2) {
                    continue;
                }
                long arrival = previousSent[i] + DELAY_NANOS + random.nextLong(JITTER_NANOS);
                if (!builder.addReceived(previousFirst + i, arrival / 1000)) {
                    throw new IllegalStateException("feedback full at packet " + i);
                }
            }
            builder.write(wire);
            if (!view.wrap(wire, 0, wire.readableBytes())) {
                throw new IllegalStateException(view.invalidReason());
            }
            return true;
        }

        /** Applies the built feedback, just after this round's last send. */
        void applyFeedback() {
            estimator.onTransportFeedback(view, now + 100_000L);
            feedbacks++;
        }
    }

    /** Feedback applied after each measured round of sends. */
    public static class Sending extends Link {
        @TearDown(Level.Invocation)
        public void feedback() {
            if (buildFeedback()) {
                applyFeedback();
            }
        }
    }

    /** Sends and feedback built before each measured feedback. */
    public static class Receiving extends Link {
        @Setup(Level.Invocation)
        public void sendAndBuild() {
            send();
            if (!buildFeedback()) {
                send();
                buildFeedback();
            }
        }
    }

    /** No per-invocation fixture. */
    public static class Whole extends Link {
    }

    @Benchmark
    @OperationsPerInvocation(Link.BATCH)
    public void onPacketSent(Sending link) {
        link.send();
    }

    @Benchmark
    public void onTransportFeedback(Receiving link) {
        link.applyFeedback();
    }

    @Benchmark
    public void round(Whole link) {
        link.send();
        if (link.buildFeedback()) {
            link.applyFeedback();
        }
    }
}
