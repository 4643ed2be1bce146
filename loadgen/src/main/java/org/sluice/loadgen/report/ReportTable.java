package org.sluice.loadgen.report;

import org.sluice.loadgen.scenario.RunResult;

import java.util.Locale;

/** A {@link RunResult} as an aligned two-column table; "n/a" where a figure is unknown. */
public final class ReportTable {

    private final StringBuilder out = new StringBuilder(2048);

    private ReportTable() {
    }

    public static String of(RunResult r) {
        ReportTable t = new ReportTable();
        RunResult.Scenario s = r.scenario();
        String shape;
        if (r.parts().isEmpty()) {
            shape = shape(s.name(), s.rooms(), s.viewersPerRoom());
        } else {
            StringBuilder all = new StringBuilder();
            for (RunResult.Part p : r.parts()) {
                all.append(all.isEmpty() ? "" : " + ").append(shape(p.name(), p.rooms(), p.receiversPerRoom()));
            }
            shape = all.toString();
        }
        t.row("scenario", String.format(Locale.ROOT, "%s: %s, VP8 %d kbit/s @ %d fps"
                        + " (key frame every %d ms), Opus %d kbit/s", s.name(), shape,
                s.media().videoBitsPerSecond() / 1000, s.media().framesPerSecond(), s.media().keyFrameIntervalMillis(),
                s.media().audioBitsPerSecond() / 1000));
        t.row("window", fmt("%.1f s after %.1f s warm-up", s.durationSeconds(), s.warmupSeconds()));
        RunResult.Setup u = r.setup();
        t.row("sessions connected", u.connected() + " / " + u.attempted()
                + (u.failed() > 0 ? " (first error: " + u.firstError() + ")" : ""));
        t.row("setup per session", fmt("p50 %.1f ms, p99 %.1f ms, max %.1f ms; all viewers in %.1f s",
                u.p50Millis(), u.p99Millis(), u.maxMillis(), u.totalSeconds()));
        t.row("setup parts (p50)", fmt("POST %.1f ms, ICE %.1f ms, DTLS %.1f ms", u.signalingP50Millis(),
                u.iceP50Millis(), u.dtlsP50Millis()));
        RunResult.Churn c = r.churn();
        if (c.perSecond() > 0) {
            t.row("churn", fmt("%.1f viewers/s: %d left, %d joined (setup p50 %.1f ms, p99 %.1f ms), %d joins failed"
                    + " or skipped", c.perSecond(), c.left(), c.joined(), c.joinP50Millis(), c.joinP99Millis(),
                    c.failedJoins()));
        }
        RunResult.Server v = r.server();
        t.row("server forwarded", fmt("%.0f packets/s (sent %.0f datagrams/s)", v.forwardedPerSecond(), v.sentPerSecond()));
        t.row("server CPU", fmt("%.2f us per forwarded packet, %.2f cores; media loops %.2f us per forwarded packet,"
                + " JIT compiler %.3f cores", v.cpuMicrosPerForwardedPacket(), v.cpuCores(),
                v.mediaLoopMicrosPerForwardedPacket(), v.jitCores()));
        t.row("server RSS", fmt("%.0f MB", v.rssMegabytes()));
        t.row("server GC", fmt("%d pauses, %.1f ms in total, longest %.1f ms (recent max)", v.gcPauses(),
                v.gcPauseMillis(), v.gcPauseMaxMillis()));
        t.row("server drops", fmt("%d (sluice_packets_dropped_total); media socket: %s kernel drops, %s bytes queued",
                v.droppedPackets(), known(v.socketDrops()), known(v.socketQueueBytes())));
        RunResult.Media d = r.media();
        t.row("loss", fmt("%d of %d expected (%.4f %%); %d received and validated", d.lost(), d.expected(),
                d.lossRatio() * 100, d.received()));
        t.row("check failures", fmt("%d failed stamp/RTP checks, %d undecryptable, %d late, %d origin mismatches,"
                        + " %d stream switches, %d viewers without video", d.checkFailures(), d.undecryptable(),
                d.late(), d.originMismatches(), d.streamSwitches(), d.viewersWithoutVideo()));
        t.row("publishers", fmt("%d packets sent, %d key frames, %d key-frame requests, %d send failures",
                d.sentPackets(), d.keyFrames(), d.keyFrameRequests(), d.publisherSendFailures()));
        RunResult.Latency l = r.latency();
        t.row("added latency", fmt("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)",
                l.p50Millis(), l.p99Millis(), l.p999Millis(), l.maxMillis(), l.samples()));
        RunResult.Quantiles key = l.keyFramePackets();
        RunResult.Quantiles other = l.otherPackets();
        t.row("  apart", fmt("key-frame packets p50 %.2f ms, p99 %.2f ms (%d samples); the others p50 %.2f ms,"
                + " p99 %.2f ms", key.p50Millis(), key.p99Millis(), key.samples(), other.p50Millis(), other.p99Millis()));
        for (RunResult.Part p : r.parts()) {
            t.part(p);
        }
        RunResult.Generator g = r.generator();
        t.row("generator", fmt("%.0f packets/s received, %.2f cores, %.2f us per received packet (%s, %d loop(s))",
                g.receivedPerSecond(), g.cpuCores(), g.cpuMicrosPerReceivedPacket(),
                g.epoll() ? (g.udpGro() ? "epoll, UDP GRO" : "epoll") : "NIO",
                g.eventLoops()));
        t.row("generator lag/sockets", fmt("loop lag p99 %.2f ms, max %.2f ms; sockets: %s kernel drops, %s bytes queued",
                g.loopLagP99Millis(), g.loopLagMaxMillis(), known(g.socketDrops()), known(g.socketQueueBytes())));
        return t.out.toString();
    }

    private static String shape(String name, int rooms, int perRoom) {
        if (name.equals("conference")) {
            return rooms == 1 ? String.format(Locale.ROOT, "%d room, %d participants each publishing to all others",
                    rooms, perRoom)
                    : String.format(Locale.ROOT, "%d conference rooms, %d participants each publishing to all others"
                    + " in theirs", rooms, perRoom);
        }
        return String.format(Locale.ROOT, "%d room(s) x 1 publisher -> %d viewers", rooms, perRoom);
    }

    /** One part of a run with several: its sessions, loss, checks, received rate and added latency. */
    private void part(RunResult.Part p) {
        RunResult.Setup u = p.setup();
        row("part: " + p.name(), fmt("%s; %d / %d sessions connected, setup p50 %.1f ms, p99 %.1f ms",
                shape(p.name(), p.rooms(), p.receiversPerRoom()), u.connected(), u.attempted(), u.p50Millis(),
                u.p99Millis()));
        RunResult.Media d = p.media();
        row("  loss", fmt("%d of %d expected (%.4f %%); %d received and validated", d.lost(), d.expected(),
                d.lossRatio() * 100, d.received()));
        row("  check failures", fmt("%d failed stamp/RTP checks, %d late, %d origin mismatches, %d stream switches,"
                        + " %d receivers without video", d.checkFailures(), d.late(), d.originMismatches(),
                d.streamSwitches(), d.viewersWithoutVideo()));
        row("  received", fmt("%.0f validated packets/s in the window; senders sent %d packets", p.receivedPerSecond(),
                d.sentPackets()));
        RunResult.Latency l = p.latency();
        row("  added latency", fmt("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)",
                l.p50Millis(), l.p99Millis(), l.p999Millis(), l.maxMillis(), l.samples()));
    }

    private static String known(long value) {
        return value < 0 ? "n/a" : Long.toString(value);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args).replace("NaN", "n/a");
    }

    private void row(String name, String value) {
        out.append(String.format(Locale.ROOT, "%-22s %s%n", name, value));
    }
}
