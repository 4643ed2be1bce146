package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.PeerNetwork;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link #connect()}, {@link #startChurn()}, {@link #group()} and {@link #close()} are the steps a run of
 * several parts (mixed) takes with the others' in between.
 */
public final class BroadcastScenario implements AutoCloseable {

    private final BroadcastSettings settings;
    private final PeerNetwork network;
    private final HttpSignaling signaling;
    private final ServerView server;
    private final PrintStream progress;
    private final PartStats part;
    /** The room of each viewer that joined. */
    private final Map<Viewer, String> roomOf = new ConcurrentHashMap<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Viewer> viewers = Collections.synchronizedList(new ArrayList<>());
    private final List<SetupTiming> setupTimes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private double setupSeconds;
    private ViewerChurn running;

    public BroadcastScenario(BroadcastSettings settings, PeerNetwork network, HttpSignaling signaling,
                             ServerView server, PrintStream progress) {
        this(settings, network, signaling, server, progress, null);
    }

    /** With {@code part} not null, the viewers also count what they receive there (one part of a mixed run). */
    BroadcastScenario(BroadcastSettings settings, PeerNetwork network, HttpSignaling signaling, ServerView server,
                      PrintStream progress, PartStats part) {
        this.settings = settings;
        this.network = network;
        this.signaling = signaling;
        this.server = server;
        this.progress = progress;
        this.part = part;
    }

    public RunResult run(long serverPid) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            connect();
            startChurn();
            return new Measurement(network, server, progress).measure(
                    new RunResult.Scenario("broadcast", settings.rooms(), settings.viewersPerRoom(), settings.media(),
                            settings.warmup().toMillis() / 1000.0, settings.duration().toMillis() / 1000.0),
                    settings.warmup(), settings.duration(), settings.drain(), List.of(group()), serverPid);
        } finally {
            close();
        }
    }

    /** Connects the publishers (which start sending) and the viewers. */
    void connect() throws InterruptedException {
        long timeout = settings.connectTimeout().toMillis();
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
        setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        progress.printf("%d/%d viewers connected in %.1f s%s%n", viewers.size(), settings.totalViewers(),
                setupSeconds, errors.isEmpty() ? "" : "; first error: " + errors.get(0));
    }

    /** Starts replacing viewers if the settings ask for churn: from the last join (of every part) on. */
    void startChurn() {
        if (settings.churnPerSecond() > 0) {
            ViewerChurn churn = new ViewerChurn(network, signaling, settings.connectTimeout().toMillis(), viewers,
                    roomOf, settings.setupConcurrency(), part);
            running = churn;
            churn.start(settings.churnPerSecond());
            progress.printf("churn: %.1f viewers a second leave and are replaced%n", settings.churnPerSecond());
        }
    }

    /** The connected clients (and churn, once started), for the measurement. */
    Measurement.Group group() {
        Measurement.Churning churning = null;
        ViewerChurn churn = running;
        if (churn != null) {
            churning = new Measurement.Churning() {
                @Override
                public RunResult.Churn stop() throws InterruptedException {
                    return churn.stop();
                }

                @Override
                public List<Measurement.Receiving> departed() {
                    return churn.departed();
                }
            };
        }
        return new Measurement.Group("broadcast", settings.rooms(), settings.viewersPerRoom(), publishers, () -> {
            synchronized (viewers) {
                return new ArrayList<>(viewers);
            }
        }, churning, setupTimes, errors, setupSeconds, part);
    }

    /** Stops churn (if it still runs), then every viewer and publisher leaves. */
    @Override
    public void close() throws InterruptedException {
        if (running != null) {
            running.stop(); // already stopped unless the run failed before its window ended
        }
        progress.printf("leaving: %d viewers, %d publisher(s)%n", viewers.size(), publishers.size());
        closeAll(viewers, publishers);
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
                        Viewer v = Viewer.connect(network, signaling, room, timeout, part);
                        roomOf.put(v, room);
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
