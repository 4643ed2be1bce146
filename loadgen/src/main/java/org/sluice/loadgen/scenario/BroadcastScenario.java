package org.sluice.loadgen.scenario;

import org.sluice.loadgen.check.LatencyHistogram;
import org.sluice.loadgen.check.LoopStats;
import org.sluice.loadgen.check.StreamTracker;
import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.probe.ProcessProbe;
import org.sluice.loadgen.probe.UdpSockets;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Broadcast 1 → N: per room one WHIP publisher and N WHEP viewers. Phases: publishers connect and
 * start sending; viewers join (a bounded number at a time, each setup timed); warm-up; the
 * measurement window between two snapshots of server and generator; publishers stop; the streams
 * drain; every viewer's trackers are tallied against what the publishers sent; everyone leaves.
 */
public final class BroadcastScenario {

    private static final long PROGRESS_MILLIS = 5_000;

    private final BroadcastSettings settings;
    private final PeerNetwork network;
    private final HttpSignaling signaling;
    private final ServerView server;
    private final PrintStream progress;
    private final ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());

    public BroadcastScenario(BroadcastSettings settings, PeerNetwork network, HttpSignaling signaling,
                             ServerView server, PrintStream progress) {
        this.settings = settings;
        this.network = network;
        this.signaling = signaling;
        this.server = server;
        this.progress = progress;
    }

    public RunResult run(long serverPid) throws InterruptedException, ExecutionException, TimeoutException {
        List<Publisher> publishers = new ArrayList<>();
        List<Viewer> viewers = Collections.synchronizedList(new ArrayList<>());
        List<SetupTiming> setupTimes = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long timeout = settings.connectTimeout().toMillis();
        try {
            for (int r = 0; r < settings.rooms(); r++) {
                try {
                    Publisher p = Publisher.connect(network, r, settings.media(), signaling, room(r), timeout);
                    publishers.add(p);
                    setupTimes.add(p.setupTiming());
                    p.startMedia();
                } catch (Exception e) {
                    throw new IllegalStateException("publisher " + r + " did not connect: " + e.getMessage(), e);
                }
            }
            progress.printf("%d publisher(s) sending; %d viewers joining, %d at a time%n", publishers.size(),
                    settings.totalViewers(), settings.setupConcurrency());
            long setupStart = System.nanoTime();
            joinViewers(viewers, setupTimes, errors, timeout);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            progress.printf("%d/%d viewers connected in %.1f s%s%n", viewers.size(), settings.totalViewers(),
                    setupSeconds, errors.isEmpty() ? "" : "; first error: " + errors.get(0));

            sleepWithProgress(settings.warmup().toMillis(), "warm-up");
            network.loopStats().forEach(s -> s.recordLatency(true));
            ServerView.Snapshot serverBefore = server.snapshot();
            long selfBefore = self.cpuMicros();
            long receivedBefore = receivedSoFar();
            sleepWithProgress(settings.duration().toMillis(), "measuring");
            ServerView.Snapshot serverAfter = server.snapshot();
            long selfAfter = self.cpuMicros();
            long receivedAfter = receivedSoFar();
            network.loopStats().forEach(s -> s.recordLatency(false));
            Set<Integer> ownPorts = new HashSet<>();
            publishers.forEach(p -> ownPorts.add(p.localPort()));
            synchronized (viewers) {
                viewers.forEach(v -> ownPorts.add(v.localPort()));
            }
            UdpSockets.Totals ownSockets = new UdpSockets().of(ownPorts);
            UdpSockets.Totals serverSocket = new UdpSockets().of(Set.of(publishers.get(0).serverPort()));

            for (Publisher p : publishers) {
                p.stopMedia();
            }
            Thread.sleep(settings.drain().toMillis());
            Map<Integer, Long> sentByStream = new HashMap<>();
            long keyFrames = 0;
            long keyFrameRequests = 0;
            long sendFailures = 0;
            long sent = 0;
            for (Publisher p : publishers) {
                Publisher.SentCounts counts = p.sent();
                sentByStream.put(counts.videoStreamId(), counts.videoPackets());
                sentByStream.put(counts.audioStreamId(), counts.audioPackets());
                keyFrames += counts.keyFrames();
                keyFrameRequests += counts.keyFrameRequests();
                sendFailures += counts.sendFailures();
                sent += counts.videoPackets() + counts.audioPackets();
            }
            RunResult.Media media = tally(viewers, sentByStream, sent, keyFrames, keyFrameRequests, sendFailures);
            LoopStats loops = loopTotals();
            double window = (serverAfter.nanos() - serverBefore.nanos()) / 1e9;
            return new RunResult(
                    new RunResult.Scenario("broadcast", settings.rooms(), settings.viewersPerRoom(), settings.media(),
                            settings.warmup().toMillis() / 1000.0, window),
                    setup(setupTimes, errors, setupSeconds),
                    media.withUndecryptable(loops.undecryptable()),
                    latency(loops.latencyMicros()),
                    serverResult(serverPid, serverBefore, serverAfter, window, serverSocket),
                    new RunResult.Generator(network.usesEpoll(), network.loopStats().size(),
                            (receivedAfter - receivedBefore) / window,
                            selfBefore < 0 ? Double.NaN : (selfAfter - selfBefore) / 1e6 / window,
                            selfBefore < 0 || receivedAfter == receivedBefore ? Double.NaN
                                    : (double) (selfAfter - selfBefore) / (receivedAfter - receivedBefore),
                            loops.loopLagMicros().valueAt(0.99) / 1000.0, loops.loopLagMicros().max() / 1000.0,
                            ownSockets.drops(), ownSockets.receiveQueueBytes()));
        } finally {
            progress.printf("leaving: %d viewers, %d publisher(s)%n", viewers.size(), publishers.size());
            closeAll(viewers, publishers);
        }
    }

    private String room(int index) {
        return settings.roomPrefix() + index;
    }

    private void joinViewers(List<Viewer> viewers, List<SetupTiming> setupTimes, List<String> errors, long timeout)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.setupConcurrency());
        try {
            List<Future<?>> joins = new ArrayList<>();
            for (int i = 0; i < settings.totalViewers(); i++) {
                String room = room(i % settings.rooms());
                joins.add(pool.submit(() -> {
                    try {
                        Viewer v = Viewer.connect(network, signaling, room, timeout);
                        viewers.add(v);
                        setupTimes.add(v.setupTiming());
                    } catch (Exception e) {
                        errors.add(String.valueOf(e.getMessage()));
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                    (timeout + 2000) * (settings.totalViewers() / settings.setupConcurrency() + 1));
            for (Future<?> join : joins) {
                try {
                    join.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    errors.add(String.valueOf(e.getMessage()));
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void sleepWithProgress(long millis, String phase) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long lastCount = receivedSoFar();
        long lastNanos = System.nanoTime();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, PROGRESS_MILLIS));
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

    private RunResult.Media tally(List<Viewer> viewers, Map<Integer, Long> sentByStream, long sent, long keyFrames,
                                  long keyFrameRequests, long sendFailures)
            throws InterruptedException, ExecutionException, TimeoutException {
        long expected = 0;
        long received = 0;
        long failures = 0;
        long late = 0;
        long mismatches = 0;
        long switches = 0;
        int withoutVideo = 0;
        List<Viewer> snapshot;
        synchronized (viewers) {
            snapshot = new ArrayList<>(viewers);
        }
        for (Viewer v : snapshot) {
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
                expected += t.expected(publisherSent);
                received += t.received();
                late += t.late();
                mismatches += t.originMismatches();
                switches += t.streamSwitches();
            }
            if (!video) {
                withoutVideo++;
            }
        }
        long lost = Math.max(0, expected - received);
        return new RunResult.Media(sent, expected, received, lost, expected == 0 ? Double.NaN : (double) lost / expected,
                failures, 0, late, mismatches, switches, withoutVideo, keyFrames, keyFrameRequests, sendFailures);
    }

    private static RunResult.Setup setup(List<SetupTiming> times, List<String> errors, double totalSeconds) {
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

    private static double percentileMillis(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(index) / 1e6;
    }

    private static RunResult.Latency latency(LatencyHistogram micros) {
        return new RunResult.Latency(micros.count(), micros.valueAt(0.50) / 1000.0, micros.valueAt(0.99) / 1000.0,
                micros.valueAt(0.999) / 1000.0, micros.max() / 1000.0);
    }

    private static RunResult.Server serverResult(long pid, ServerView.Snapshot before, ServerView.Snapshot after,
                                                 double window, UdpSockets.Totals socket) {
        long forwarded = after.forwarded() - before.forwarded();
        boolean cpuKnown = before.cpuMicros() >= 0 && after.cpuMicros() >= 0;
        long cpu = after.cpuMicros() - before.cpuMicros();
        return new RunResult.Server(pid,
                cpuKnown && forwarded > 0 ? (double) cpu / forwarded : Double.NaN,
                cpuKnown ? cpu / 1e6 / window : Double.NaN,
                forwarded / window,
                after.rssKilobytes() < 0 ? Double.NaN : after.rssKilobytes() / 1024.0,
                after.gcPauses() - before.gcPauses(),
                (after.gcPauseSeconds() - before.gcPauseSeconds()) * 1000,
                after.gcPauseMaxSeconds() * 1000,
                after.dropped() - before.dropped(),
                (after.sent() - before.sent()) / window, socket.drops(), socket.receiveQueueBytes());
    }

    private void closeAll(List<Viewer> viewers, List<Publisher> publishers) throws InterruptedException {
        List<Viewer> snapshot;
        synchronized (viewers) {
            snapshot = new ArrayList<>(viewers);
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.setupConcurrency());
        try {
            for (Viewer v : snapshot) {
                pool.execute(() -> v.close(signaling));
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
        for (Publisher p : publishers) {
            p.close(signaling);
        }
    }
}
