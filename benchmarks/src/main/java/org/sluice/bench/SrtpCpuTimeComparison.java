package org.sluice.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice's SRTP next to jitsi-srtp, interleaved in one thread and measured in thread CPU time, for
 * machines too busy for wall-clock JMH numbers to compare (another process's time slice lands in whichever
 * benchmark happens to run). Runs the same operations as {@link SrtpBenchmark} (same state, same packets):
 * rounds of {@value #BLOCK} operations per implementation, one implementation after the other, and
 * reports the median CPU ns per operation over the rounds, its throughput for a 1200-byte packet, and the
 * heap bytes allocated per operation.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.sluice.bench.SrtpCpuTimeComparison
 * </pre>
 */
public final class SrtpCpuTimeComparison {

    private static final int BLOCK = 2000;
    private static final int WARMUP_ROUNDS = 25;
    private static final int ROUNDS = 40;
    private static final String[] IMPLS = {"sluice-heap", "sluice-direct", "jitsi"};
    private static final String[] PROFILES = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80",
            "AES_CM_128_HMAC_SHA1_32"};

    private SrtpCpuTimeComparison() {
    }

    public static void main(String[] args) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        System.out.printf("java %s%n", System.getProperty("java.version"));
        System.out.printf("%-24s %-9s %-14s %10s %8s %8s %10s%n", "profile", "op", "impl", "cpu ns/op", "GB/s",
                "B/op", "vs jitsi");
        for (String profile : PROFILES) {
            for (String op : new String[]{"protect", "forward", "unprotect"}) {
                SrtpBenchmark[] states = new SrtpBenchmark[IMPLS.length];
                for (int i = 0; i < IMPLS.length; i++) {
                    states[i] = new SrtpBenchmark();
                    states[i].profile = profile;
                    states[i].impl = IMPLS[i];
                    states[i].setUp();
                }
                List<List<Double>> ns = new ArrayList<>();
                long[] bytes = new long[IMPLS.length];
                long[] ops = new long[IMPLS.length];
                for (int i = 0; i < IMPLS.length; i++) {
                    ns.add(new ArrayList<>());
                }
                long sink = 0;
                for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
                    for (int i = 0; i < IMPLS.length; i++) {
                        SrtpBenchmark s = states[i];
                        long a0 = mx.getThreadAllocatedBytes(tid);
                        long t0 = mx.getCurrentThreadCpuTime();
                        for (int k = 0; k < BLOCK; k++) {
                            sink += switch (op) {
                                case "protect" -> s.protect();
                                case "forward" -> s.forward();
                                default -> s.unprotect();
                            };
                        }
                        long t1 = mx.getCurrentThreadCpuTime();
                        long a1 = mx.getThreadAllocatedBytes(tid);
                        if (round >= WARMUP_ROUNDS) {
                            ns.get(i).add((t1 - t0) / (double) BLOCK);
                            bytes[i] += a1 - a0;
                            ops[i] += BLOCK;
                        }
                    }
                }
                double jitsi = median(ns.get(IMPLS.length - 1));
                for (int i = 0; i < IMPLS.length; i++) {
                    double m = median(ns.get(i));
                    System.out.printf("%-24s %-9s %-14s %10.0f %8.2f %8.0f %9.2fx%n", profile, op, IMPLS[i], m,
                            1200 / m, bytes[i] / (double) ops[i], jitsi / m);
                }
                for (SrtpBenchmark s : states) {
                    s.tearDown();
                }
                if (sink == 42) {
                    System.out.print("");
                }
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
