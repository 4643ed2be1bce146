package org.sluice.bench;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sluice.core.sctp.SctpAssociation;
import org.sluice.core.sctp.SctpCounters;
import org.sluice.core.sctp.SctpListener;
import org.sluice.core.sctp.SctpSettings;

/**
 * A reliable ordered data channel's SCTP path: two associations joined in memory (packets handed over through
 * a queue, no loss), one sending 1 MiB per operation in messages of {@code messageSize} bytes, the other
 * reassembling and acknowledging, both on the benchmark thread. The result in operations per second times 8 is
 * Mbit/s of application data through both ends' SCTP (fragmentation, checksums, SACK, congestion window); DTLS
 * and the network are not in it. When both are idle with data outstanding, the clock jumps to the next timer
 * (the delayed SACK), as a real clock would pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SctpThroughputBenchmark {

    private static final int BYTES_PER_OP = 1024 * 1024;

    @Param({"1024", "16384"})
    public int messageSize;

    private long now = 1_000_000_000L;
    private final ArrayDeque<byte[]> toA = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toB = new ArrayDeque<>();
    private SctpAssociation a;
    private SctpAssociation b;
    private long delivered;
    private byte[] message;

    private final class Receiver implements SctpListener {
        @Override
        public void onEstablished() {
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, boolean unordered) {
            delivered += data.length;
        }

        @Override
        public void onIncomingStreamsReset(int[] streamIds) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }

    @Setup(Level.Trial)
    public void connect() {
        SctpSettings settings = SctpSettings.defaults();
        a = new SctpAssociation(settings, () -> now, new Random(1), new byte[32], toB::add, new Receiver(),
                new SctpCounters());
        b = new SctpAssociation(settings, () -> now, new Random(2), new byte[32], toA::add, new Receiver(),
                new SctpCounters());
        a.connect();
        b.connect();
        pump(() -> a.isEstablished() && b.isEstablished());
        if (!a.isEstablished()) {
            throw new IllegalStateException("no association");
        }
        message = new byte[messageSize];
    }

    @Benchmark
    public long oneMebibyte() {
        long target = delivered + BYTES_PER_OP;
        int queued = 0;
        while (delivered < target) {
            while (queued < BYTES_PER_OP && a.bufferedAmount() < 512 * 1024) {
                a.send(0, 53, message, false, -1, -1);
                queued += messageSize;
            }
            step();
        }
        return delivered;
    }

    private void pump(java.util.function.BooleanSupplier done) {
        for (int i = 0; i < 100_000 && !done.getAsBoolean(); i++) {
            step();
        }
    }

    private void step() {
        if (!toB.isEmpty()) {
            byte[] p = toB.poll();
            b.receive(p, 0, p.length);
        } else if (!toA.isEmpty()) {
            byte[] p = toA.poll();
            a.receive(p, 0, p.length);
        } else {
            now = Math.max(now, Math.min(a.nextTimerNanos(), b.nextTimerNanos()));
            if (a.nextTimerNanos() <= now) {
                a.onTimer();
            }
            if (b.nextTimerNanos() <= now) {
                b.onTimer();
            }
        }
    }
}
