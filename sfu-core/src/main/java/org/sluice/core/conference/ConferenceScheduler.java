package org.sluice.core.conference;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the conference timers (reconnect grace, empty-room timeout). Injected so tests drive the timers by hand;
 * production uses one daemon thread ({@link #of}).
 */
public interface ConferenceScheduler {

    /** A scheduled task that can be called off. */
    interface Cancellable {
        /** Stops the task if it has not run yet; idempotent. */
        void cancel();
    }

    /** Runs {@code task} once after {@code delay}. The task takes the locks it needs itself. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduler over {@code executor}. */
    static ConferenceScheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
