package org.sluice.core.net;

import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One periodic timer for everything on an event loop that needs the same period (a media loop has one for its
 * legs' 20 ms ticks and one for its transports' once-a-second checks): a single scheduled task walks the members
 * and ticks each, where a timer per member would cost the loop's scheduled-task heap a removal and a re-insert
 * per member and period, and a wake-up each when their phases differ.
 *
 * <p>The members are a plain array owned by the loop: added and removed on it (a call from another thread is
 * handed to the loop), swept without allocating. A member removed during a sweep (by itself or by another
 * member's tick) is not ticked after its removal; the array is compacted after the sweep. A member that returns
 * {@code false} from its tick is dropped, so one that ended is let go even if its removal raced with its
 * addition; one that throws is dropped too (and logged), as its own periodic task would have stopped. The timer
 * runs only while there are members.
 */
public final class LoopTicker {

    /** Periodic work of one member, run on the loop. */
    @FunctionalInterface
    public interface Member {
        /** Does what is due; returns false when the member is done and should be dropped. */
        boolean tick();
    }

    private static final Logger log = LoggerFactory.getLogger(LoopTicker.class);
    private static final int MIN_CAPACITY = 16;

    private final EventExecutor loop;
    private final long periodNanos;
    private final String name;
    private final Runnable sweepTask = this::sweep;
    // The loop's.
    private Member[] members = new Member[MIN_CAPACITY];
    /** Slots in use, including the holes left by removals during a sweep. */
    private int size;
    private int holes;
    private boolean sweeping;
    private ScheduledFuture<?> timer;
    private long sweeps;

    /** A ticker on {@code loop} that sweeps its members every {@code period} of {@code unit}. */
    public LoopTicker(EventExecutor loop, long period, TimeUnit unit, String name) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.loop = loop;
        this.periodNanos = unit.toNanos(period);
        this.name = name;
    }

    /**
     * Ticks {@code member} every period from now on (its first tick comes within one period). Any thread; from
     * another thread the addition is queued on the loop. Adding a member twice has no effect.
     *
     * @throws RejectedExecutionException from another thread when the loop has stopped
     */
    public void add(Member member) {
        if (loop.inEventLoop()) {
            addOnLoop(member);
        } else {
            loop.execute(() -> addOnLoop(member));
        }
    }

    /**
     * Stops ticking {@code member}. Any thread; from another thread the removal is queued on the loop, so a
     * sweep under way there may still tick it once (a member that must not be ticked after it ended checks that
     * itself, and may return false). Removing a member that is not there has no effect, nor does a removal after
     * the loop stopped.
     */
    public void remove(Member member) {
        if (loop.inEventLoop()) {
            removeOnLoop(member);
            return;
        }
        try {
            loop.execute(() -> removeOnLoop(member));
        } catch (RejectedExecutionException stopped) {
            // the loop is gone, and its timer with it
        }
    }

    /** Members being ticked; on the loop. */
    public int size() {
        return size - holes;
    }

    /** Sweeps run so far; on the loop (diagnostics and tests). */
    public long sweeps() {
        return sweeps;
    }

    /** Whether the periodic timer is armed (it is while there are members); on the loop. */
    public boolean timerArmed() {
        return timer != null;
    }

    private void addOnLoop(Member member) {
        for (int i = 0; i < size; i++) {
            if (members[i] == member) {
                return;
            }
        }
        if (size == members.length) {
            Member[] grown = new Member[members.length * 2];
            System.arraycopy(members, 0, grown, 0, size);
            members = grown;
        }
        members[size++] = member;
        if (timer == null) {
            try {
                timer = loop.scheduleAtFixedRate(sweepTask, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopped) {
                // the loop is shutting down: nothing will be ticked any more
            }
        }
    }

    private void removeOnLoop(Member member) {
        for (int i = 0; i < size; i++) {
            if (members[i] == member) {
                drop(i);
                return;
            }
        }
    }

    /** Empties slot {@code i}; compacts at once unless a sweep is walking the array. */
    private void drop(int i) {
        members[i] = null;
        holes++;
        if (!sweeping) {
            compact();
        }
    }

    /** One pass over the members; the timer's task (package-private so tests can sweep on the loop themselves). */
    void sweep() {
        sweeps++;
        sweeping = true;
        try {
            int n = size; // members added during the sweep wait for the next one
            for (int i = 0; i < n; i++) {
                Member member = members[i];
                if (member == null) {
                    continue;
                }
                boolean keep;
                try {
                    keep = member.tick();
                } catch (Throwable e) {
                    log.warn("{}: a periodic task failed and is no longer run", name, e);
                    keep = false;
                }
                if (!keep && members[i] == member) {
                    drop(i);
                }
            }
        } finally {
            sweeping = false;
            if (holes > 0) {
                compact();
            }
        }
    }

    /** Closes the holes (keeping the order), shrinks a mostly empty array, and stops the timer without members. */
    private void compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Member member = members[i];
            if (member != null) {
                members[kept++] = member;
            }
        }
        for (int i = kept; i < size; i++) {
            members[i] = null;
        }
        size = kept;
        holes = 0;
        if (members.length > MIN_CAPACITY && size <= members.length / 4) {
            Member[] shrunk = new Member[Math.max(MIN_CAPACITY, members.length / 2)];
            System.arraycopy(members, 0, shrunk, 0, size);
            members = shrunk;
        }
        if (size == 0 && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
