package org.sluice.loadgen.scenario;

import org.sluice.loadgen.check.LatencyHistogram;
import org.sluice.loadgen.check.LoopStats;
import org.sluice.loadgen.check.StreamTracker;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.probe.ProcessProbe;
import org.sluice.loadgen.probe.UdpSockets;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The phases every scenario shares once its clients are connected: warm-up, the measurement window
 * between two snapshots of server and generator, stopping the senders, the drain, and the tally of
 * every receiver's streams against what the senders sent.
 */
final class Measurement {

    /** A client that sends paced media. */
    interface Sending {
        void stopMedia() throws InterruptedException, ExecutionException, TimeoutException;

        Publisher.SentCounts sent() throws InterruptedException, ExecutionException, TimeoutException;

        int localPort();

        int serverPort();
    }

    /** A client whose received packets are checked. */
    interface Receiving {
        Viewer.Tally tally() throws InterruptedException, ExecutionException, TimeoutException;

        int localPort();
    }

    private static final long PROGRESS_MILLIS = 5_000;
    /**
     * How often the server's {@code /metrics} is read in the window: Prometheus's default scrape interval. In the
     * warm-up it is read every {@link #PROGRESS_MILLIS}, so the server's JIT has compiled that path (and recompiled
     * the media path it shares Netty's classes with) before the window opens.
     */
    private static final long SCRAPE_MILLIS = 15_000;
    /** After churn stops and before the senders do: time for the newest viewers' first key frame to arrive. */
    private static final long CHURN_SETTLE_MILLIS = 1_000;

    private final PeerNetwork network;
    private final ServerView server;
    private final PrintStream progress;
    private final ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());

    Measurement(PeerNetwork network, ServerView server, PrintStream progress) {
        this.network = network;
        this.server = server;
        this.progress = progress;
    }

    /** What a run with churn adds: stopping it at the window's end, and the receivers that left. */
    interface Churning {
        RunResult.Churn stop() throws InterruptedException;

        /** Receivers that left during the run; each is tallied from its first packet to its last. */
        List<? extends Receiving> departed();
    }

    /**
     * The connected clients of one part of a run: its name, rooms and receivers per room (for the report), its
     * senders, its receivers (read when the window ends: churn changes them), its churn (null: none, else stopped
     * at the window's end, before the senders), its sessions' setup times, failures and seconds, and, in a run of
     * several parts, the stats its receivers also count into (null in a run of one part).
     */
    record Group(String name, int rooms, int receiversPerRoom, List<? extends Sending> senders,
                 Supplier<List<? extends Receiving>> receivers, Churning churn, List<SetupTiming> setupTimes,
                 List<String> setupErrors, double setupSeconds, PartStats stats) {
    }

    /**
     * Runs warm-up to tally for {@code groups} at once (one measurement window, one server) and assembles the
     * result: the totals and, when the groups have their own stats, each group's part. Each group's receivers are
     * tallied against what its own senders sent.
     */
    RunResult measure(RunResult.Scenario scenario, Duration warmup, Duration duration, Duration drain,
                      List<Group> groups, long serverPid)
            throws InterruptedException, ExecutionException, TimeoutException {
        sleepWithProgress(warmup.toMillis(), "warm-up", PROGRESS_MILLIS);
        network.loopStats().forEach(s -> s.recordLatency(true)); // the groups' stats follow their loop's
        ServerView.Snapshot serverBefore = server.snapshot();
        long selfBefore = self.cpuMicros();
        long receivedBefore = receivedSoFar();
        long[] partBefore = partPackets(groups);
        sleepWithProgress(duration.toMillis(), "measuring", SCRAPE_MILLIS);
        ServerView.Snapshot serverAfter = server.snapshot();
        long selfAfter = self.cpuMicros();
        long receivedAfter = receivedSoFar();
        long[] partAfter = partPackets(groups);
        network.loopStats().forEach(s -> s.recordLatency(false));
        RunResult.Churn churned = RunResult.Churn.NONE;
        boolean churning = false;
        for (Group g : groups) {
            if (g.churn() != null) {
                churned = g.churn().stop();
                churning = true;
            }
        }
        if (churning) {
            Thread.sleep(CHURN_SETTLE_MILLIS); // the last viewers to join get their first key frame
        }
        List<List<? extends Receiving>> receivers = new ArrayList<>();
        Set<Integer> ownPorts = new HashSet<>();
        for (Group g : groups) {
            List<? extends Receiving> current = g.receivers().get();
            receivers.add(current);
            g.senders().forEach(p -> ownPorts.add(p.localPort()));
            current.forEach(v -> ownPorts.add(v.localPort()));
        }
        UdpSockets.Totals ownSockets = new UdpSockets().of(ownPorts);
        UdpSockets.Totals serverSocket = new UdpSockets().of(Set.of(groups.get(0).senders().get(0).serverPort()));

        for (Group g : groups) {
            for (Sending p : g.senders()) {
                p.stopMedia();
            }
        }
        Thread.sleep(drain.toMillis());
        double window = (serverAfter.nanos() - serverBefore.nanos()) / 1e9;
        RunResult.Media media = null;
        List<RunResult.Part> parts = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            RunResult.Media part = tally(g.senders(), receivers.get(i), g.churn() == null ? List.of()
                    : g.churn().departed());
            media = media == null ? part : media.plus(part);
            if (g.stats() != null) {
                parts.add(new RunResult.Part(g.name(), g.rooms(), g.receiversPerRoom(),
                        setup(g.setupTimes(), g.setupErrors(), g.setupSeconds()), part,
                        latency(g.stats().total()), (partAfter[i] - partBefore[i]) / window));
            }
        }
        LoopStats loops = loopTotals();
        return new RunResult(
                new RunResult.Scenario(scenario.name(), scenario.rooms(), scenario.viewersPerRoom(), scenario.media(),
                        scenario.warmupSeconds(), window),
                setup(groups),
                media.withUndecryptable(loops.undecryptable()),
                latency(loops),
                serverResult(serverPid, serverBefore, serverAfter, window, serverSocket),
                new RunResult.Generator(network.usesEpoll(), network.usesUdpGro(), network.loopStats().size(),
                        (receivedAfter - receivedBefore) / window,
                        selfBefore < 0 ? Double.NaN : (selfAfter - selfBefore) / 1e6 / window,
                        selfBefore < 0 || receivedAfter == receivedBefore ? Double.NaN
                                : (double) (selfAfter - selfBefore) / (receivedAfter - receivedBefore),
                        loops.loopLagMicros().valueAt(0.99) / 1000.0, loops.loopLagMicros().max() / 1000.0,
                        ownSockets.drops(), ownSockets.receiveQueueBytes()),
                churned, parts);
    }

    private static long[] partPackets(List<Group> groups) {
        long[] packets = new long[groups.size()];
        for (int i = 0; i < packets.length; i++) {
            PartStats stats = groups.get(i).stats();
            packets[i] = stats == null ? 0 : stats.packets();
        }
        return packets;
    }

    /**
     * Sleeps {@code millis}, printing the received rate every {@link #PROGRESS_MILLIS} and reading the server's
     * {@code /metrics} every {@code scrapeMillis} (not in the last tick: the window's snapshots read it at its ends).
     */
    private void sleepWithProgress(long millis, String phase, long scrapeMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long lastScrape = System.nanoTime();
        long lastCount = receivedSoFar();
        long lastNanos = System.nanoTime();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, PROGRESS_MILLIS));
            if (left > PROGRESS_MILLIS
                    && System.nanoTime() - lastScrape >= TimeUnit.MILLISECONDS.toNanos(scrapeMillis)) {
                server.scrape();
                lastScrape = System.nanoTime();
            }
            long count = receivedSoFar();
            long now = System.nanoTime();
            progress.printf("  %s: %.0f packets/s received%n", phase, (count - lastCount) * 1e9 / (now - lastNanos));
            lastCount = count;
            lastNanos = now;
        }
    }

    private long receivedSoFar() {
        long sum = 0;
        for (LoopStats s : network.loopStats()) {
            sum += s.packets();
        }
        return sum;
    }

    private LoopStats loopTotals() throws InterruptedException, ExecutionException, TimeoutException {
        LoopStats total = new LoopStats();
        List<io.netty.util.concurrent.EventExecutor> loops = new ArrayList<>();
        network.group().forEach(loops::add);
        for (io.netty.util.concurrent.EventExecutor loop : loops) {
            LoopStats copy = loop.submit(() -> network.statsOf((io.netty.channel.EventLoop) loop).copy())
                    .get(5, TimeUnit.SECONDS);
            total.add(copy);
        }
        return total;
    }

    /**
     * Tallies {@code viewers} against what {@code senders} sent (after they stopped), and {@code departed} (viewers
     * that left while the senders sent) from each stream's first packet to its last.
     */
    private static RunResult.Media tally(List<? extends Sending> senders, List<? extends Receiving> viewers,
                                         List<? extends Receiving> departed)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<Integer, Long> sentByStream = new HashMap<>();
        long keyFrames = 0;
        long keyFrameRequests = 0;
        long sendFailures = 0;
        long sent = 0;
        for (Sending p : senders) {
            Publisher.SentCounts counts = p.sent();
            sentByStream.put(counts.videoStreamId(), counts.videoPackets());
            sentByStream.put(counts.audioStreamId(), counts.audioPackets());
            keyFrames += counts.keyFrames();
            keyFrameRequests += counts.keyFrameRequests();
            sendFailures += counts.sendFailures();
            sent += counts.videoPackets() + counts.audioPackets();
        }
        List<Receiving> all = new ArrayList<>(viewers);
        all.addAll(departed);
        Set<Receiving> left = Collections.newSetFromMap(new IdentityHashMap<>());
        left.addAll(departed);
        long expected = 0;
        long received = 0;
        long failures = 0;
        long late = 0;
        long mismatches = 0;
        long switches = 0;
        int withoutVideo = 0;
        for (Receiving v : all) {
            boolean gone = left.contains(v);
            Viewer.Tally tally = v.tally();
            failures += tally.failures();
            boolean video = false;
            for (StreamTracker t : tally.streams()) {
                Long publisherSent = sentByStream.get(t.streamId());
                if (publisherSent == null) {
                    failures += t.received(); // bytes of a stream nobody in this run sent
                    continue;
                }
                video |= t.streamId() % 2 == 0;
                expected += gone ? t.expected(t.lastOrigin() + 1) : t.expected(publisherSent);
                received += t.received();
                late += t.late();
                mismatches += t.originMismatches();
                switches += t.streamSwitches();
            }
            if (!video && !gone) {
                withoutVideo++; // a viewer churned out before its first key frame is not counted
            }
        }
        long lost = Math.max(0, expected - received);
        return new RunResult.Media(sent, expected, received, lost, expected == 0 ? Double.NaN : (double) lost / expected,
                failures, 0, late, mismatches, switches, withoutVideo, keyFrames, keyFrameRequests, sendFailures);
    }

    /** The setup of all groups' sessions together; their seconds add up (the groups connect one after another). */
    private static RunResult.Setup setup(List<Group> groups) {
        if (groups.size() == 1) {
            Group g = groups.get(0);
            return setup(g.setupTimes(), g.setupErrors(), g.setupSeconds());
        }
        List<SetupTiming> times = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        double seconds = 0;
        for (Group g : groups) {
            synchronized (g.setupTimes()) {
                times.addAll(g.setupTimes());
            }
            synchronized (g.setupErrors()) {
                errors.addAll(g.setupErrors());
            }
            seconds += g.setupSeconds();
        }
        return setup(times, errors, seconds);
    }

    static RunResult.Setup setup(List<SetupTiming> times, List<String> errors, double totalSeconds) {
        List<SetupTiming> copy;
        synchronized (times) {
            copy = new ArrayList<>(times);
        }
        List<Long> total = sorted(copy, SetupTiming::totalNanos);
        return new RunResult.Setup(copy.size() + errors.size(), copy.size(), errors.size(),
                percentileMillis(total, 0.50), percentileMillis(total, 0.99), percentileMillis(total, 1.0),
                percentileMillis(sorted(copy, SetupTiming::signalingNanos), 0.50),
                percentileMillis(sorted(copy, SetupTiming::iceNanos), 0.50),
                percentileMillis(sorted(copy, SetupTiming::dtlsNanos), 0.50),
                totalSeconds, errors.isEmpty() ? null : errors.get(0));
    }

    private static List<Long> sorted(List<SetupTiming> times, java.util.function.ToLongFunction<SetupTiming> part) {
        List<Long> out = new ArrayList<>(times.size());
        for (SetupTiming t : times) {
            out.add(part.applyAsLong(t));
        }
        Collections.sort(out);
        return out;
    }

    static double percentileMillis(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(index) / 1e6;
    }

    private static RunResult.Latency latency(LoopStats stats) {
        return new RunResult.Latency(quantiles(stats.latencyMicros()), quantiles(stats.keyFrameLatencyMicros()),
                quantiles(stats.otherLatencyMicros()));
    }

    private static RunResult.Quantiles quantiles(LatencyHistogram micros) {
        return new RunResult.Quantiles(micros.count(), micros.valueAt(0.50) / 1000.0, micros.valueAt(0.99) / 1000.0,
                micros.valueAt(0.999) / 1000.0, micros.max() / 1000.0);
    }

    private static RunResult.Server serverResult(long pid, ServerView.Snapshot before, ServerView.Snapshot after,
                                                 double window, UdpSockets.Totals socket) {
        long forwarded = after.forwarded() - before.forwarded();
        boolean cpuKnown = before.cpuMicros() >= 0 && after.cpuMicros() >= 0;
        long cpu = after.cpuMicros() - before.cpuMicros();
        boolean loopsKnown = before.mediaLoopCpuMicros() >= 0 && after.mediaLoopCpuMicros() >= 0;
        boolean jitKnown = before.jitCpuMicros() >= 0 && after.jitCpuMicros() >= 0;
        return new RunResult.Server(pid,
                cpuKnown && forwarded > 0 ? (double) cpu / forwarded : Double.NaN,
                cpuKnown ? cpu / 1e6 / window : Double.NaN,
                forwarded / window,
                after.rssKilobytes() < 0 ? Double.NaN : after.rssKilobytes() / 1024.0,
                after.gcPauses() - before.gcPauses(),
                (after.gcPauseSeconds() - before.gcPauseSeconds()) * 1000,
                after.gcPauseMaxSeconds() * 1000,
                after.dropped() - before.dropped(),
                (after.sent() - before.sent()) / window, socket.drops(), socket.receiveQueueBytes(),
                loopsKnown && forwarded > 0
                        ? (double) (after.mediaLoopCpuMicros() - before.mediaLoopCpuMicros()) / forwarded : Double.NaN,
                jitKnown ? (after.jitCpuMicros() - before.jitCpuMicros()) / 1e6 / window : Double.NaN);
    }

}
