package org.sluice.bench;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.sluice.bench.fanout.FanOutRig;
import org.sluice.bench.fanout.ResendDriver;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.RepairCounters;
import org.sluice.rtp.srtp.SrtpProfile;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link RepairPathBenchmark} in thread CPU time, with the two sides of each comparison interleaved round by round
 * in one JVM, so both see the same machine: for a busy, shared box, where JMH's wall-clock scores of separate forks
 * differ by more than the effect measured.
 *
 * <p>Per SRTP profile and receiver count (1, 10): an {@code AUDIO} rig (repair off: no copy, no cache) and a
 * {@code VIDEO} rig (repair on), both with RTX-capable receivers and shared {@link RepairCounters}, alternate in
 * rounds of about {@value #PACKETS_PER_ROUND} forwarded packets (which goes first alternates too). Reported: the
 * median CPU ns per forwarded packet of each side, the median of the per-round differences (on − off, paired
 * rounds), the ratio of the medians, and heap bytes allocated per forwarded packet over all measured rounds.
 * Then the same for {@link ResendDriver}: a forwarded packet alone against a forwarded packet plus one NACK
 * answered as RTX, which gives the cost of one retransmission.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.sluice.bench.RepairPathCpuTime
 * </pre>
 */
public final class RepairPathCpuTime {

    private static final int PACKETS_PER_ROUND = 5000;
    private static final int WARMUP_ROUNDS = 60;
    private static final int ROUNDS = 60;
    private static final int[] RECEIVERS = {1, 10};
    private static final SrtpProfile[] PROFILES = {SrtpProfile.AEAD_AES_128_GCM,
            SrtpProfile.AES_CM_128_HMAC_SHA1_80};

    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long tid;

    private RepairPathCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        RepairPathCpuTime harness = new RepairPathCpuTime();
        Thread thread = new FastThreadLocalThread(harness::run, "repair-path-cpu-time");
        thread.start();
        thread.join();
    }

    private void run() {
        tid = Thread.currentThread().getId();
        System.out.printf("java %s, %d rounds of ~%d forwarded packets per side after %d warm-up rounds%n",
                System.getProperty("java.version"), ROUNDS, PACKETS_PER_ROUND, WARMUP_ROUNDS);
        System.out.printf("%-24s %-9s %10s %10s %10s %7s %9s %9s%n", "profile", "receivers", "off ns/pkt",
                "on ns/pkt", "on-off", "on/off", "off B/pkt", "on B/pkt");
        for (SrtpProfile profile : PROFILES) {
            for (int receivers : RECEIVERS) {
                try (FanOutRig off = rig(receivers, profile, MediaKind.AUDIO);
                     FanOutRig on = rig(receivers, profile, MediaKind.VIDEO)) {
                    compare(profile + "", Integer.toString(receivers), receivers, off::forwardOnce, on::forwardOnce);
                    if (!off.receiversInStep() || !on.receiversInStep()) {
                        throw new IllegalStateException("a receiver missed packets");
                    }
                    if (on.counters().cache.packets() != 512 || off.counters().cache.packets() != 0) {
                        throw new IllegalStateException("cache holds " + on.counters().cache.packets() + " / "
                                + off.counters().cache.packets());
                    }
                }
            }
        }
        System.out.println();
        System.out.println("resend: off = forward one packet, on = forward one packet and answer one NACK (RTX)");
        for (SrtpProfile profile : PROFILES) {
            try (ResendDriver baseline = new ResendDriver(profile); ResendDriver nacked = new ResendDriver(profile)) {
                compare(profile + "", "1+nack", 1, () -> baseline.step(false), () -> nacked.step(true));
                nacked.check();
            }
        }
    }

    private static FanOutRig rig(int receivers, SrtpProfile profile, MediaKind kind) {
        FanOutRig rig = new FanOutRig(receivers, profile, PooledByteBufAllocator.DEFAULT, 42, kind, true,
                System::nanoTime, new RepairCounters());
        rig.verify();
        return rig;
    }

    private void compare(String profile, String label, int receivers, Runnable off, Runnable on) {
        int fanOuts = Math.max(1, PACKETS_PER_ROUND / receivers);
        long packets = (long) fanOuts * receivers;
        double[] offNs = new double[ROUNDS];
        double[] onNs = new double[ROUNDS];
        double[] diff = new double[ROUNDS];
        long[] bytes = new long[2];
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            boolean offFirst = (round & 1) == 0;
            long[] first = measure(offFirst ? off : on, fanOuts);
            long[] second = measure(offFirst ? on : off, fanOuts);
            long[] o = offFirst ? first : second;
            long[] n = offFirst ? second : first;
            if (round >= WARMUP_ROUNDS) {
                int r = round - WARMUP_ROUNDS;
                offNs[r] = o[0] / (double) packets;
                onNs[r] = n[0] / (double) packets;
                diff[r] = onNs[r] - offNs[r];
                bytes[0] += o[1];
                bytes[1] += n[1];
            }
        }
        double offMedian = median(offNs);
        double onMedian = median(onNs);
        System.out.printf("%-24s %-9s %10.0f %10.0f %10.0f %7.3f %9.1f %9.1f%n", profile, label, offMedian, onMedian,
                median(diff), onMedian / offMedian, bytes[0] / (double) (ROUNDS * packets),
                bytes[1] / (double) (ROUNDS * packets));
    }

    /** CPU ns and allocated bytes of {@code fanOuts} runs. */
    private long[] measure(Runnable fanOut, int fanOuts) {
        long a0 = mx.getThreadAllocatedBytes(tid);
        long t0 = mx.getCurrentThreadCpuTime();
        for (int k = 0; k < fanOuts; k++) {
            fanOut.run();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        long a1 = mx.getThreadAllocatedBytes(tid);
        return new long[] {t1 - t0, a1 - a0};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
