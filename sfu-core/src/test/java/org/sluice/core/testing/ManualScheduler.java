package org.sluice.core.testing;

import org.sluice.core.conference.ConferenceScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link ConferenceScheduler} whose time moves only when a test calls {@link #advance}. Thread-safe. */
public final class ManualScheduler implements ConferenceScheduler {

    private final class Task implements Cancellable {
        final Runnable runnable;
        final long due;
        boolean cancelled;

        Task(Runnable runnable, long due) {
            this.runnable = runnable;
            this.due = due;
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(task, now + delay.toNanos());
        tasks.add(t);
        return t;
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Moves time forward and runs what became due, in due order, on the calling thread. */
    public void advance(Duration amount) {
        long target;
        synchronized (this) {
            target = now + amount.toNanos();
        }
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (t.due <= target && (next == null || t.due < next.due)) {
                        next = t;
                    }
                }
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = next.due;
            }
            next.runnable.run();
        }
    }
}
