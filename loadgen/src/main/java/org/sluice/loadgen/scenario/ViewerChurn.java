package org.sluice.loadgen.scenario;

import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.PeerNetwork;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replaces viewers while the media flows: {@code perSecond} times a second the viewer that joined longest ago
 * leaves (its session DELETEd, its socket closed) and a new viewer joins the same room. Of a viewer that left only
 * its checks are kept (not its peer), whose trackers stop at its last packet: its loss is counted from its first
 * packet to its last ({@link #departed()}). At most {@code concurrency} replacements run at once; a tick that finds
 * them all busy is skipped and counted as a failed join, so a server that cannot keep up shows.
 */
final class ViewerChurn {

    private final PeerNetwork network;
    private final HttpSignaling signaling;
    private final long timeoutMillis;
    private final List<Viewer> viewers;
    private final PartStats part;
    private final Deque<Viewer> oldestFirst = new ArrayDeque<>();
    private final Map<Viewer, String> rooms = new ConcurrentHashMap<>();
    private final List<Measurement.Receiving> departed = Collections.synchronizedList(new ArrayList<>());
    private final List<SetupTiming> joins = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger left = new AtomicInteger();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger failedJoins = new AtomicInteger();
    private final Semaphore slots;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-churn");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService workers;
    private double perSecond;

    /**
     * @param viewers the scenario's (synchronized) list of current viewers: churn removes and adds to it
     * @param roomOf  the room of each viewer in {@code viewers}
     * @param part    where new viewers count what they receive besides their loop's stats (null: a run of one part)
     */
    ViewerChurn(PeerNetwork network, HttpSignaling signaling, long timeoutMillis, List<Viewer> viewers,
                Map<Viewer, String> roomOf, int concurrency, PartStats part) {
        this.network = network;
        this.signaling = signaling;
        this.timeoutMillis = timeoutMillis;
        this.viewers = viewers;
        this.part = part;
        this.slots = new Semaphore(concurrency);
        this.workers = Executors.newFixedThreadPool(concurrency);
        synchronized (viewers) {
            oldestFirst.addAll(viewers);
        }
        rooms.putAll(roomOf);
    }

    /** Starts replacing {@code rate} viewers a second. */
    void start(double rate) {
        this.perSecond = rate;
        long period = Math.max(1_000_000L, (long) (1e9 / rate));
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (!slots.tryAcquire()) {
            failedJoins.incrementAndGet(); // still busy with earlier replacements
            return;
        }
        workers.execute(() -> {
            try {
                replaceOne();
            } finally {
                slots.release();
            }
        });
    }

    private void replaceOne() {
        Viewer leaving;
        synchronized (oldestFirst) {
            leaving = oldestFirst.pollFirst();
        }
        if (leaving == null) {
            return;
        }
        String room = rooms.remove(leaving);
        viewers.remove(leaving);
        Measurement.Receiving gone = leaving.departed();
        leaving.close(signaling);
        departed.add(gone);
        left.incrementAndGet();
        try {
            Viewer fresh = Viewer.connect(network, signaling, room, timeoutMillis, part);
            rooms.put(fresh, room);
            joins.add(fresh.setupTiming());
            viewers.add(fresh);
            synchronized (oldestFirst) {
                oldestFirst.addLast(fresh);
            }
            joined.incrementAndGet();
        } catch (Exception e) {
            failedJoins.incrementAndGet();
        }
    }

    /** Stops replacing and waits for replacements in progress; returns what churn did. */
    RunResult.Churn stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        workers.shutdown();
        if (!workers.awaitTermination(timeoutMillis + 5_000, TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
        List<Long> times;
        synchronized (joins) {
            times = joins.stream().map(SetupTiming::totalNanos).sorted().toList();
        }
        return new RunResult.Churn(perSecond, left.get(), joined.get(), failedJoins.get(),
                Measurement.percentileMillis(times, 0.50), Measurement.percentileMillis(times, 0.99));
    }

    /** What is left of the viewers that left (closed: their trackers no longer change). */
    List<Measurement.Receiving> departed() {
        synchronized (departed) {
            return new ArrayList<>(departed);
        }
    }
}
