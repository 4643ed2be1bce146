package org.sluice.core.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** {@link System#nanoTime()} plus an offset a test can advance, e.g. to expire ICE consent at once. */
public final class AdjustableNanoClock implements LongSupplier {

    private final AtomicLong offset = new AtomicLong();

    @Override
    public long getAsLong() {
        return System.nanoTime() + offset.get();
    }

    /** Moves the clock forward by {@code amount}. */
    public void advance(Duration amount) {
        offset.addAndGet(amount.toNanos());
    }
}
