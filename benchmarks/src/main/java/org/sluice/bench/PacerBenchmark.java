package org.sluice.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sluice.bandwidth.pacer.PacerConfig;
import org.sluice.bandwidth.pacer.Pacer;
import org.sluice.bandwidth.pacer.PacingClass;

import java.util.concurrent.TimeUnit;

/**
 * The pacer's per-packet cost: the fast path, one enqueue and drain per packet, and a keyframe-like
 * burst queued and drained over time. Every variant is meant to allocate nothing: once the rings
 * have grown to the burst, {@code gc.alloc.rate.norm} should be about 0 B/op.
 *
 * <pre>
 * ./mvnw -B -q -o package -pl benchmarks -am -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PacerBenchmark -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacerBenchmark {
    private static final int SIZE = 1200;
    private static final long RATE_BPS = 2_500_000;
    /** How long one 1200-byte packet takes at the rate: 3.84 ms. */
    private static final long PACKET_NANOS = SIZE * 8L * 1_000_000_000L / RATE_BPS;
    private static final int BURST = 64;

    /** Counts what is sent and dropped, so the work is observable. */
    static final class Counter implements Pacer.Sink<Object>, Pacer.Dropper<Object> {
        long sent;
        long dropped;

        @Override
        public void send(Object item, int sizeBytes, PacingClass cls) {
            sent += sizeBytes;
        }

        @Override
        public void drop(Object item, int sizeBytes, PacingClass cls, org.sluice.bandwidth.pacer.DropReason reason) {
            dropped += sizeBytes;
        }
    }

    private final Counter counter = new Counter();
    private final Object[] items = new Object[BURST];
    private Pacer<Object> pacer;
    private long now;
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < items.length; i++) {
            items[i] = new Object();
        }
        pacer = new Pacer<>(PacerConfig.defaults(), counter);
        pacer.setRates(RATE_BPS, 0);
        now = 1_000_000_000_000L;
        // Let the rings grow to the burst once, as a keyframe would in production.
        for (int i = 0; i < BURST * 4; i++) {
            pacer.enqueue(items[i % BURST], SIZE, PacingClass.VIDEO, now);
        }
        now += 10_000_000_000L;
        pacer.drain(now, counter);
    }

    /** The common case: under the rate, nothing queued, the budget allows it. */
    @Benchmark
    public boolean passThrough() {
        now += PACKET_NANOS;
        return pacer.canSendNow(SIZE, now);
    }

    /** Every packet queued and then drained at its time: the queue's own cost per packet. */
    @Benchmark
    public int enqueueDrain() {
        now += PACKET_NANOS;
        pacer.enqueue(items[next++ & (BURST - 1)], SIZE, PacingClass.VIDEO, now);
        return pacer.drain(now, counter);
    }

    /** A burst of 64 packets (a keyframe) queued at once and drained every 5 ms until gone; per packet. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int burst() {
        for (int i = 0; i < BURST; i++) {
            pacer.enqueue(items[i], SIZE, i % 16 == 0 ? PacingClass.AUDIO : PacingClass.VIDEO, now);
        }
        int sent = 0;
        while (pacer.queuedPackets() > 0) {
            now = Math.max(now + 5_000_000L, pacer.nextSendNanos(now));
            sent += pacer.drain(now, counter);
        }
        return sent;
    }
}
