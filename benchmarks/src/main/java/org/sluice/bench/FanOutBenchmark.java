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
import org.sluice.bench.fanout.FastThreadLocalExecutor;
import org.sluice.rtp.srtp.SrtpProfile;

import java.util.concurrent.TimeUnit;

/**
 * In-process fan-out of one publisher's 1200-byte VP8 packet to 1, 10, 100 and 500 SRTP receivers, through
 * the production path ({@code InboundStream.forward} → {@code OutboundStream.forward}: header rewrite into a
 * pooled direct buffer, one encryption pass over the payload, tag), no sockets. All receivers sit on the
 * calling loop, so this is one core's forwarding cost; the mailbox hand-off to other loops is not measured.
 *
 * <p>Each benchmark method forwards one publisher packet to all receivers and declares one operation per
 * receiver ({@link OperationsPerInvocation}), so JMH's score and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} are <em>per forwarded packet</em>; multiply by the receiver count for the cost
 * of one publisher packet. Setup decrypts one forwarded packet with the receivers' keys (see
 * {@link FanOutRig#verify()}), so the benchmark cannot silently measure dropped packets.
 *
 * <p>The forked JVM runs the benchmark thread as a Netty {@code FastThreadLocalThread}
 * ({@link FastThreadLocalExecutor}), as the media loops are: on a plain thread Netty 4.2 does not recycle
 * pooled buffer objects, which would add an allocation per forwarded packet that production does not have.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FanOut -prof gc -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.sluice.bench.fanout.FastThreadLocalExecutor"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanOutBenchmark {

    /** The rig for one receiver count; subclasses fix the count, JMH varies the SRTP profile. */
    @State(Scope.Thread)
    public abstract static class Receivers {

        @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
        public String profile;

        FanOutRig rig;

        abstract int count();

        @Setup(Level.Trial)
        public void setUp() {
            rig = new FanOutRig(count(), SrtpProfile.valueOf(profile), PooledByteBufAllocator.DEFAULT, 42);
            rig.verify();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (!rig.receiversInStep()) {
                    throw new IllegalStateException("a receiver missed packets during the measurement");
                }
            } finally {
                rig.close();
            }
        }
    }

    /** One receiver. */
    public static class Receivers1 extends Receivers {
        @Override
        int count() {
            return 1;
        }
    }

    /** Ten receivers. */
    public static class Receivers10 extends Receivers {
        @Override
        int count() {
            return 10;
        }
    }

    /** A hundred receivers. */
    public static class Receivers100 extends Receivers {
        @Override
        int count() {
            return 100;
        }
    }

    /** Five hundred receivers. */
    public static class Receivers500 extends Receivers {
        @Override
        int count() {
            return 500;
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public void receivers001(Receivers1 state) {
        state.rig.forwardOnce();
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public void receivers010(Receivers10 state) {
        state.rig.forwardOnce();
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public void receivers100(Receivers100 state) {
        state.rig.forwardOnce();
    }

    @Benchmark
    @OperationsPerInvocation(500)
    public void receivers500(Receivers500 state) {
        state.rig.forwardOnce();
    }
}
