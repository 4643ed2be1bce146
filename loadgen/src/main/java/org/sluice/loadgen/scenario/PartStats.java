package org.sluice.loadgen.scenario;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.sluice.loadgen.check.LoopStats;
import org.sluice.loadgen.peer.PeerNetwork;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the receivers of one part of a run with several parts (a mixed run's broadcast viewers, its conference
 * participants) received: one {@link LoopStats} per event loop of the network, each written only by its loop
 * (through {@link org.sluice.loadgen.check.ViewerChecks}), besides the loop's own stats for the whole run. Latency
 * is recorded while the loop's own stats record it: the same measurement window.
 */
final class PartStats {

    private final Map<EventExecutor, LoopStats> byLoop = new IdentityHashMap<>();

    PartStats(PeerNetwork network) {
        for (EventExecutor loop : network.group()) {
            byLoop.put(loop, new LoopStats());
        }
    }

    /** This part's stats on {@code loop}, or null when {@code part} is null (a run of one part). */
    static LoopStats on(PartStats part, EventLoop loop) {
        return part == null ? null : part.byLoop.get(loop);
    }

    /** Packets received so far (validated or failing a check); any thread. */
    long packets() {
        long sum = 0;
        for (LoopStats s : byLoop.values()) {
            sum += s.packets();
        }
        return sum;
    }

    /** The sum over the loops, each copied on its loop. */
    LoopStats total() throws InterruptedException, ExecutionException, TimeoutException {
        LoopStats total = new LoopStats();
        List<Map.Entry<EventExecutor, LoopStats>> entries = new ArrayList<>(byLoop.entrySet());
        for (Map.Entry<EventExecutor, LoopStats> e : entries) {
            LoopStats stats = e.getValue();
            total.add(e.getKey().submit(stats::copy).get(5, TimeUnit.SECONDS));
        }
        return total;
    }
}
