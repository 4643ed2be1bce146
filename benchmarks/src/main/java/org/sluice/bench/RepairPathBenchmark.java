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
import org.sluice.bench.fanout.ResendDriver;
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
 * <p>{@code resend*}: one receiver, video, RTX, on a clock moved 10 ms per packet ({@link ResendDriver}) (so cache ages
 * and the receiver's 2 Mbit/s retransmission budget behave as at 100 packets/s). {@code resendBaseline} forwards
 * one packet; {@code resendForwardAndNack} forwards one packet and answers a NACK for the packet sent ten packets
 * (100 ms) earlier from the cache, as RTX. The difference is the cost of one retransmission (cache lookup, RTX
 * header, payload copy, SRTP in place). Teardown checks every NACK was answered.
 *
 * <p>The forked JVM runs the benchmark thread as a Netty {@code FastThreadLocalThread}, as in
 * {@code FanOutBenchmark}, so pooled buffers are recycled as on the media loops. Netty's leak detector runs at its
 * default level ({@code simple}), as in production; it samples one pooled allocation in 128 with a stack trace,
 * about 12 B per pooled allocation on average, so the video side shows ~12 B more per publisher packet than the
 * audio side. Add {@code -Dio.netty.leakDetection.level=disabled} to the fork's arguments (repeat the executor
 * arguments: a command-line {@code -jvmArgsAppend} replaces these) to see the path's own allocation.
 *
 * <p>On a busy machine the wall-clock scores of separate forks differ by more than the effect measured; use
 * {@link RepairPathCpuTime}, which interleaves on and off in one JVM and measures thread CPU time.
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

    /** One video receiver with RTX, on a clock moved 10 ms per forwarded packet ({@link ResendDriver}). */
    @State(Scope.Thread)
    public static class Resend {

        @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
        public String profile;

        ResendDriver driver;

        @Setup(Level.Trial)
        public void setUp() {
            driver = new ResendDriver(SrtpProfile.valueOf(profile));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                driver.check();
            } finally {
                driver.close();
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
        state.driver.step(false);
    }

    @Benchmark
    public void resendForwardAndNack(Resend state) {
        state.driver.step(true);
    }
}
