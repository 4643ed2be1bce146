package org.sluice.api.shutdown;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The drain phase of a shutdown: stop admitting, then wait until the live sessions have ended or the
 * drain time has passed, polling. Time comes from an injected clock and sleeper, so tests run it
 * without waiting.
 */
public final class GracefulShutdown {

    /** Sleeps; the production one is {@link Thread#sleep(long, int)}. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** How often live sessions are counted while draining. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final Duration drainTime;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    public GracefulShutdown(Duration drainTime, LongSupplier nanoClock, Sleeper sleeper) {
        if (drainTime.isNegative()) {
            throw new IllegalArgumentException("negative drain time " + drainTime);
        }
        this.drainTime = drainTime;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** With the system clock and a real sleep. */
    public static GracefulShutdown withSystemClock(Duration drainTime) {
        return new GracefulShutdown(drainTime, System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L)));
    }

    /**
     * Stops admitting and waits for the live sessions to end.
     *
     * @return true when every session ended within the drain time, false when time ran out (or the
     *         thread was interrupted, whose flag is then set again)
     */
    public boolean drain(Drainable target) {
        target.stopAdmitting();
        long start = nanoClock.getAsLong();
        long budget = drainTime.toNanos();
        while (target.liveSessions() > 0) {
            long left = budget - (nanoClock.getAsLong() - start);
            if (left <= 0) {
                return false;
            }
            try {
                sleeper.sleepNanos(Math.min(left, POLL_INTERVAL.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
