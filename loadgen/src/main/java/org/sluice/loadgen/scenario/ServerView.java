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

    private final HttpSignaling http;
    private final Optional<ProcessProbe> process;

    public ServerView(HttpSignaling http, Optional<ProcessProbe> process) {
        this.http = http;
        this.process = process;
    }

    public Snapshot snapshot() {
        long nanos = System.nanoTime();
        long cpu = process.map(ProcessProbe::cpuMicros).orElse(-1L);
        long rss = process.map(ProcessProbe::rssKilobytes).orElse(-1L);
        MetricsText metrics = new MetricsText(http.get("/metrics").orElse(""));
        return new Snapshot(nanos, cpu, rss,
                (long) metrics.sum("sluice_packets_forwarded_total"),
                (long) metrics.sum("sluice_packets_sent_total"),
                (long) metrics.sum("sluice_packets_dropped_total"),
                (long) metrics.sum("jvm_gc_pause_seconds_count"),
                metrics.sum("jvm_gc_pause_seconds_sum"),
                metrics.max("jvm_gc_pause_seconds_max"));
    }

    /** Server readings at one moment; -1 (or NaN) where unknown. */
    public record Snapshot(long nanos, long cpuMicros, long rssKilobytes, long forwarded, long sent, long dropped,
                           long gcPauses, double gcPauseSeconds, double gcPauseMaxSeconds) {
    }
}
