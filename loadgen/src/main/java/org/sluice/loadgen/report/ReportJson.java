package org.sluice.loadgen.report;

import org.sluice.loadgen.peer.Json;

import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.RunResult;

import java.util.Locale;

/** Writes a {@link RunResult} as one JSON object; unknown numbers become {@code null}. */
public final class ReportJson {

    private final StringBuilder out = new StringBuilder(2048);
    private boolean first = true;
    private int depth = 1;

    private ReportJson() {
    }

    public static String of(RunResult r, String machineNote) {
        ReportJson j = new ReportJson();
        j.open();
        RunResult.Scenario s = r.scenario();
        MediaSettings m = s.media();
        j.object("scenario").field("name", s.name()).field("rooms", s.rooms()).field("viewersPerRoom", s.viewersPerRoom())
                .field("videoBitsPerSecond", m.videoBitsPerSecond()).field("framesPerSecond", m.framesPerSecond())
                .field("keyFrameIntervalMillis", m.keyFrameIntervalMillis())
                .field("audioBitsPerSecond", m.audioBitsPerSecond()).field("maxPayload", m.maxPayload())
                .field("warmupSeconds", s.warmupSeconds()).field("windowSeconds", s.durationSeconds()).close();
        RunResult.Setup u = r.setup();
        j.object("setup").field("attempted", u.attempted()).field("connected", u.connected())
                .field("failed", u.failed()).field("p50Millis", u.p50Millis()).field("p99Millis", u.p99Millis())
                .field("maxMillis", u.maxMillis()).field("signalingP50Millis", u.signalingP50Millis())
                .field("iceP50Millis", u.iceP50Millis()).field("dtlsP50Millis", u.dtlsP50Millis())
                .field("totalSeconds", u.totalSeconds())
                .field("firstError", u.firstError()).close();
        RunResult.Media d = r.media();
        j.object("media").field("sentPackets", d.sentPackets()).field("expected", d.expected())
                .field("received", d.received()).field("lost", d.lost()).field("lossRatio", d.lossRatio())
                .field("checkFailures", d.checkFailures()).field("undecryptable", d.undecryptable())
                .field("late", d.late()).field("originMismatches", d.originMismatches())
                .field("streamSwitches", d.streamSwitches()).field("viewersWithoutVideo", d.viewersWithoutVideo())
                .field("keyFrames", d.keyFrames()).field("keyFrameRequests", d.keyFrameRequests())
                .field("publisherSendFailures", d.publisherSendFailures()).close();
        j.latency(r.latency());
        RunResult.Server v = r.server();
        j.object("server").field("pid", v.pid()).field("cpuMicrosPerForwardedPacket", v.cpuMicrosPerForwardedPacket())
                .field("cpuCores", v.cpuCores()).field("forwardedPerSecond", v.forwardedPerSecond())
                .field("sentPerSecond", v.sentPerSecond()).field("rssMegabytes", v.rssMegabytes())
                .field("gcPauses", v.gcPauses()).field("gcPauseMillis", v.gcPauseMillis())
                .field("gcPauseMaxMillis", v.gcPauseMaxMillis()).field("droppedPackets", v.droppedPackets())
                .field("socketDrops", v.socketDrops()).field("socketQueueBytes", v.socketQueueBytes())
                .field("mediaLoopMicrosPerForwardedPacket", v.mediaLoopMicrosPerForwardedPacket())
                .field("jitCores", v.jitCores()).close();
        RunResult.Generator g = r.generator();
        j.object("generator").field("epoll", g.epoll()).field("udpGro", g.udpGro())
                .field("eventLoops", g.eventLoops())
                .field("receivedPerSecond", g.receivedPerSecond()).field("cpuCores", g.cpuCores())
                .field("cpuMicrosPerReceivedPacket", g.cpuMicrosPerReceivedPacket())
                .field("loopLagP99Millis", g.loopLagP99Millis()).field("loopLagMaxMillis", g.loopLagMaxMillis())
                .field("socketDrops", g.socketDrops()).field("socketQueueBytes", g.socketQueueBytes()).close();
        RunResult.Churn c = r.churn();
        if (c.perSecond() > 0) {
            j.object("churn").field("perSecond", c.perSecond()).field("left", c.left()).field("joined", c.joined())
                    .field("failedJoins", c.failedJoins()).field("joinP50Millis", c.joinP50Millis())
                    .field("joinP99Millis", c.joinP99Millis()).close();
        }
        if (!r.parts().isEmpty()) {
            j.object("parts");
            for (RunResult.Part p : r.parts()) {
                j.part(p);
            }
            j.close();
        }
        j.field("note", machineNote);
        j.out.append("\n}\n");
        return j.out.toString();
    }

    /** One part of a run with several, named by its name. */
    private void part(RunResult.Part p) {
        object(p.name()).field("rooms", p.rooms()).field("receiversPerRoom", p.receiversPerRoom());
        RunResult.Setup u = p.setup();
        object("setup").field("attempted", u.attempted()).field("connected", u.connected())
                .field("failed", u.failed()).field("p50Millis", u.p50Millis()).field("p99Millis", u.p99Millis())
                .field("maxMillis", u.maxMillis()).field("totalSeconds", u.totalSeconds())
                .field("firstError", u.firstError()).close();
        RunResult.Media d = p.media();
        object("media").field("sentPackets", d.sentPackets()).field("expected", d.expected())
                .field("received", d.received()).field("lost", d.lost()).field("lossRatio", d.lossRatio())
                .field("checkFailures", d.checkFailures()).field("late", d.late())
                .field("originMismatches", d.originMismatches()).field("streamSwitches", d.streamSwitches())
                .field("receiversWithoutVideo", d.viewersWithoutVideo()).field("keyFrames", d.keyFrames())
                .field("keyFrameRequests", d.keyFrameRequests()).close();
        field("receivedPerSecond", p.receivedPerSecond());
        latency(p.latency());
        close();
    }

    /** "addedLatency": the quantiles of all packets, then those of key-frame packets and of the others apart. */
    private void latency(RunResult.Latency l) {
        quantiles(object("addedLatency"), l.all());
        quantiles(object("keyFramePackets"), l.keyFramePackets()).close();
        quantiles(object("otherPackets"), l.otherPackets()).close();
        close();
    }

    private static ReportJson quantiles(ReportJson j, RunResult.Quantiles q) {
        return j.field("samples", q.samples()).field("p50Millis", q.p50Millis()).field("p99Millis", q.p99Millis())
                .field("p999Millis", q.p999Millis()).field("maxMillis", q.maxMillis());
    }

    private void open() {
        out.append('{');
        first = true;
    }

    private ReportJson object(String name) {
        key(name);
        out.append('{');
        first = true;
        depth++;
        return this;
    }

    private ReportJson close() {
        depth--;
        out.append('\n').append("  ".repeat(depth)).append('}');
        first = false;
        return this;
    }

    private ReportJson field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    private ReportJson field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    private ReportJson field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    private ReportJson field(String name, double value) {
        key(name);
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else {
            out.append(String.format(Locale.ROOT, "%.6g", value));
        }
        return this;
    }

    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        out.append('\n').append("  ".repeat(depth));
        string(name);
        out.append(": ");
        first = false;
    }

    private void string(String value) {
        out.append(Json.quote(value));
    }
}
