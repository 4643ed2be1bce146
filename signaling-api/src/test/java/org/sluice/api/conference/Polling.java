package org.sluice.api.conference;

import java.time.Duration;
import java.util.function.Predicate;

/** Bounded polling for tests: read every 200 ms until a condition holds or the time is up. */
final class Polling {

    private Polling() {
    }

    /** Something read from a page or the server. */
    @FunctionalInterface
    interface Read<T> {
        T read() throws Exception;
    }

    /** Reads until {@code condition} holds or {@code timeout} passes; returns the last value read. */
    static <T> T until(Read<T> read, Predicate<T> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = read.read();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = read.read();
        }
        return last;
    }
}
