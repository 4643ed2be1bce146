package org.sluice.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling waits for tests that watch the engine's threads from outside. */
public final class Waits {

    private Waits() {
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; fails then, naming {@code what}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
