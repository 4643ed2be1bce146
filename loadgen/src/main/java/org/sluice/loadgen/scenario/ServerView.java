package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.probe.MetricsText;
import org.sluice.loadgen.probe.ProcessProbe;

import java.util.Optional;

/**
 * The server as the run sees it: its {@code /metrics} and, when its PID is known, its {@code /proc}
 * entries. {@link #snapshot()} reads both at one moment.
 */
public final class ServerView {

    /** The server's media event loop threads ({@code sluice-media-<loop>-...}). */
    private static final String MEDIA_LOOP_THREADS = "sluice-media-";
    /** HotSpot's C1 and C2 compiler threads. */
    private static final String[] JIT_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};

    private final HttpSignaling http;
    private final Optional<ProcessProbe> process;

    public ServerView(HttpSignaling http, Optional<ProcessProbe> process) {
        this.http = http;
        this.process = process;
    }

    /** Reads {@code /metrics} and drops it, as a Prometheus scraping the server would. */
    public void scrape() {
        http.get("/metrics");
    }

    public Snapshot snapshot() {
        long nanos = System.nanoTime();
        long cpu = process.map(ProcessProbe::cpuMicros).orElse(-1L);
        long mediaLoops = process.map(p -> p.threadCpuMicros(MEDIA_LOOP_THREADS)).orElse(-1L);
        long jit = process.map(p -> p.threadCpuMicros(JIT_THREADS)).orElse(-1L);
        long rss = process.map(ProcessProbe::rssKilobytes).orElse(-1L);
        MetricsText metrics = new MetricsText(http.get("/metrics").orElse(""));
        return new Snapshot(nanos, cpu, mediaLoops, jit, rss,
                (long) metrics.sum("sluice_packets_forwarded_total"),
                (long) metrics.sum("sluice_packets_sent_total"),
                (long) metrics.sum("sluice_packets_dropped_total"),
                (long) metrics.sum("jvm_gc_pause_seconds_count"),
                metrics.sum("jvm_gc_pause_seconds_sum"),
                metrics.max("jvm_gc_pause_seconds_max"));
    }

    /**
     * Server readings at one moment; -1 (or NaN) where unknown. {@code mediaLoopCpuMicros} is the CPU time of the
     * server's media event loops (the forwarding, and the kernel's work for their sockets), {@code jitCpuMicros}
     * that of HotSpot's compiler threads.
     */
    public record Snapshot(long nanos, long cpuMicros, long mediaLoopCpuMicros, long jitCpuMicros, long rssKilobytes, long forwarded, long sent, long dropped,
                           long gcPauses, double gcPauseSeconds, double gcPauseMaxSeconds) {
    }
}
