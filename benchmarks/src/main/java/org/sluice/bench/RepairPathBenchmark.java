package org.sluice.bench;

import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.bench.fanout.FanOutRig;
import org.sluice.bench.fanout.ManualClock;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.RepairCounters;
import org.sluice.rtp.srtp.SrtpProfile;

import java.util.concurrent.TimeUnit;

/**
 * What media repair costs on the forwarding path: the {@link FanOutRig} fan-out (one publisher's 1200-byte VP8
 * packet through {@code InboundStream.forward} → {@code OutboundStream.forward} to SRTP receivers, no sockets)
 * with the packet cache on and off, in one run.
 *
 * <ul>
 *   <li>{@code kind=VIDEO}: repair on. The inbound stream copies each packet once into a right-sized pooled
 *       buffer and keeps it in the loop's {@code PacketCache} (stamped by the clock, counted in the engine's
 *       {@code CacheTotals}).</li>
 *   <li>{@code kind=AUDIO}: repair off. The same packet is forwarded as it is and nothing is kept (audio has no
 *       cache).</li>
 * </ul>
 * Both use the public constructors production uses for repair (shared {@link RepairCounters}, receivers with
 * RTX negotiated), and every receiver records what it sent in its {@code SentLog} in both cases: that store is
 * part of the forwarding path and cannot be switched off, so the on/off difference is the copy and the cache.
 * Scores and {@code gc.alloc.rate.norm} are per forwarded packet ({@link OperationsPerInvocation} = receivers).
 * Setup decrypts a forwarded packet (as {@code FanOutBenchmark}) and asks the last receiver to resend it: a video
 * rig must answer from its cache, an audio rig must not; teardown checks the video cache is full (512 packets) and
 * still answers.
 *
 * <p>{@code resend*}: one receiver, video, RTX, on a {@link ManualClock} moved 10 ms per packet (so cache ages
 * and the receiver's 2 Mbit/s retransmission budget behave as at 100 packets/s). {@code resendBaseline} forwards
 * one packet; {@code resendForwardAndNack} forwards one packet and answers a NACK for the packet sent ten packets
 * (100 ms) earlier from the cache, as RTX. The difference is the cost of one retransmission (cache lookup, RTX
 * header, payload copy, SRTP in place). Teardown checks every NACK was answered.
 *
 * <p>The forked JVM runs the benchmark thread as a Netty {@code FastThreadLocalThread}, as in
 * {@code FanOutBenchmark}, so pooled buffers are recycled as on the media loops.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RepairPathBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.sluice.bench.fanout.FastThreadLocalExecutor"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RepairPathBenchmark {

    /** Packets a video rig's cache holds once its ring is full ({@code PacketCache.Limits.VIDEO}). */
    private static final int CACHE_PACKETS = 512;

    /** The fan-out with repair on (VIDEO) or off (AUDIO); subclasses fix the receiver count. */
    @State(Scope.Thread)
    public abstract static class Forwarding {

        @Param({"AUDIO", "VIDEO"})
        public String kind;

        @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
        public String profile;

        FanOutRig rig;

        abstract int count();

        @Setup(Level.Trial)
        public void setUp() {
            MediaKind mediaKind = MediaKind.valueOf(kind);
            rig = new FanOutRig(count(), SrtpProfile.valueOf(profile), PooledByteBufAllocator.DEFAULT, 42, mediaKind,
                    true, System::nanoTime, new RepairCounters());
            rig.verify();
            boolean resent = rig.checkResend(count() - 1, System.nanoTime());
            if (resent != (mediaKind == MediaKind.VIDEO)) {
                throw new IllegalStateException(kind + " rig: resend " + (resent ? "answered" : "not answered"));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (!rig.receiversInStep()) {
                    throw new IllegalStateException("a receiver missed packets during the measurement");
                }
                long cached = rig.counters().cache.packets();
                boolean video = MediaKind.valueOf(kind) == MediaKind.VIDEO;
                if (cached != (video ? CACHE_PACKETS : 0)) {
                    throw new IllegalStateException(kind + " rig: cache holds " + cached + " packets");
                }
                if (video && !rig.checkResend(count() - 1, System.nanoTime())) {
                    throw new IllegalStateException("the cache no longer answers a NACK");
                }
            } finally {
                rig.close();
            }
        }
    }

    /** One receiver. */
    public static class Receivers1 extends Forwarding {
        @Override
        int count() {
            return 1;
        }
    }

    /** Ten receivers. */
    public static class Receivers10 extends Forwarding {
        @Override
        int count() {
            return 10;
        }
    }

    /** One video receiver with RTX, on a clock moved 10 ms per forwarded packet. */
    @State(Scope.Thread)
    public static class Resend {

        private static final long PACKET_INTERVAL_NANOS = 10_000_000L;
        /** How many packets back the NACKed packet is: 100 ms at the clock's rate. */
        private static final int NACK_DEPTH = 10;

        @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
        public String profile;

        final ManualClock clock = new ManualClock(1_000_000_000_000L);
        final int[] sent = new int[16];
        FanOutRig rig;
        RepairCounters counters;
        long packets;
        long nacks;

        @Setup(Level.Trial)
        public void setUp() {
            counters = new RepairCounters();
            rig = new FanOutRig(1, SrtpProfile.valueOf(profile), PooledByteBufAllocator.DEFAULT, 42, MediaKind.VIDEO,
                    true, clock, counters);
            rig.verify();
            if (!rig.checkResend(0, clock.getAsLong())) {
                throw new IllegalStateException("the video rig does not answer a NACK");
            }
        }

        /** Forwards the next packet and, if {@code nack}, answers a NACK for the one sent {@value #NACK_DEPTH} before. */
        void step(boolean nack) {
            long now = clock.advance(PACKET_INTERVAL_NANOS);
            rig.forwardOnce();
            sent[(int) (packets & 15)] = rig.leg(0).lastSequence();
            if (nack && packets >= NACK_DEPTH) {
                rig.outbound(0).retransmit(sent[(int) ((packets - NACK_DEPTH) & 15)], now);
                nacks++;
            }
            packets++;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                long answered = counters.retransmissionsSent.sum() - 1; // the setup's check
                if (answered != nacks) {
                    throw new IllegalStateException(nacks + " NACKs, " + answered + " answered (misses "
                            + counters.cacheMisses.sum() + ", too old " + counters.cacheTooOld.sum() + ", rate limited "
                            + counters.retransmissionsRateLimited.sum() + ", suppressed "
                            + counters.retransmissionsSuppressed.sum() + ", unsent " + counters.nacksForUnsent.sum()
                            + ")");
                }
            } finally {
                rig.close();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public void forward01(Receivers1 state) {
        state.rig.forwardOnce();
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public void forward10(Receivers10 state) {
        state.rig.forwardOnce();
    }

    @Benchmark
    public void resendBaseline(Resend state) {
        state.step(false);
    }

    @Benchmark
    public void resendForwardAndNack(Resend state) {
        state.step(true);
    }
}
