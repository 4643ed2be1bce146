package org.sluice.bench.fanout;

import java.util.function.LongSupplier;

/** A nanosecond clock the benchmark moves on itself, so cache ages and resend budgets follow a chosen packet rate. */
public final class ManualClock implements LongSupplier {

    private long now;

    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    /** Moves the clock on by {@code nanos} and returns the new time. */
    public long advance(long nanos) {
        now += nanos;
        return now;
    }
}
