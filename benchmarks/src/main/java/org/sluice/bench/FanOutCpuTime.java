package org.sluice.bench;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.sluice.bench.fanout.FanOutRig;
import org.sluice.bench.fanout.ProtectOnly;
import org.sluice.bench.fanout.PublisherPacket;
import org.sluice.rtp.srtp.SrtpProfile;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link FanOutBenchmark}'s fan-out measured in thread CPU time, for machines too busy for wall-clock JMH
 * scores (another process's time slice lands in whichever iteration happens to run). On a Netty
 * {@code FastThreadLocalThread}, like a media loop: per SRTP profile, a {@code protect-only} row (the
 * per-receiver floor, see {@link ProtectOnly}) and then 1, 10, 100 and 500 receivers, each in rounds of
 * about {@value #PACKETS_PER_ROUND} forwarded packets; reports the median CPU ns per forwarded packet over
 * the rounds, the payload throughput that gives one core, and heap bytes allocated per forwarded packet.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.sluice.bench.FanOutCpuTime
 * </pre>
 */
public final class FanOutCpuTime {

    private static final int PACKETS_PER_ROUND = 5000;
    private static final int WARMUP_ROUNDS = 40;
    private static final int ROUNDS = 40;
    private static final int[] RECEIVERS = {1, 10, 100, 500};
    private static final SrtpProfile[] PROFILES = {SrtpProfile.AEAD_AES_128_GCM,
            SrtpProfile.AES_CM_128_HMAC_SHA1_80};

    private FanOutCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        Thread thread = new FastThreadLocalThread(FanOutCpuTime::run, "fan-out-cpu-time");
        thread.start();
        thread.join();
    }

    private static void run() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        System.out.printf("java %s%n", System.getProperty("java.version"));
        System.out.printf("%-24s %-12s %14s %14s %9s %9s%n", "profile", "receivers", "cpu ns/fanout", "cpu ns/packet",
                "Gbit/s", "B/packet");
        for (SrtpProfile profile : PROFILES) {
            try (ProtectOnly floor = new ProtectOnly(profile, PooledByteBufAllocator.DEFAULT, 7)) {
                report(mx, tid, profile, "protect-only", 1, floor::protectOnce);
            }
            for (int receivers : RECEIVERS) {
                try (FanOutRig rig = new FanOutRig(receivers, profile, PooledByteBufAllocator.DEFAULT, 42)) {
                    rig.verify();
                    report(mx, tid, profile, Integer.toString(receivers), receivers, rig::forwardOnce);
                    if (!rig.receiversInStep()) {
                        throw new IllegalStateException("a receiver missed packets");
                    }
                }
            }
        }
    }

    private static void report(com.sun.management.ThreadMXBean mx, long tid, SrtpProfile profile, String label,
                               int receivers, Runnable fanOut) {
        int fanOuts = Math.max(1, PACKETS_PER_ROUND / receivers);
        double[] perPacket = new double[ROUNDS];
        long bytes = 0;
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            long a0 = mx.getThreadAllocatedBytes(tid);
            long t0 = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < fanOuts; k++) {
                fanOut.run();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            long a1 = mx.getThreadAllocatedBytes(tid);
            if (round >= WARMUP_ROUNDS) {
                perPacket[round - WARMUP_ROUNDS] = (t1 - t0) / (double) (fanOuts * (long) receivers);
                bytes += a1 - a0;
            }
        }
        Arrays.sort(perPacket);
        double median = perPacket[ROUNDS / 2];
        double bytesPerPacket = bytes / (double) ((long) ROUNDS * fanOuts * receivers);
        System.out.printf("%-24s %-12s %14.0f %14.0f %9.2f %9.0f%n", profile, label, median * receivers, median,
                PublisherPacket.PAYLOAD_LENGTH * 8 / median, bytesPerPacket);
    }
}
