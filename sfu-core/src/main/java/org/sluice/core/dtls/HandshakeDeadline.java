package org.sluice.core.dtls;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** The point in time by which a handshake must be done, measured on an injected monotonic clock. */
final class HandshakeDeadline {
    private final LongSupplier nanoTime;
    private final long timeoutNanos;
    private volatile long deadlineNanos;
    private volatile boolean started;

    HandshakeDeadline(LongSupplier nanoTime, Duration timeout) {
        this.nanoTime = nanoTime;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts the countdown now; returns the start time. */
    long start() {
        long now = nanoTime.getAsLong();
        deadlineNanos = now + timeoutNanos;
        started = true;
        return now;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** Nanoseconds left; the full timeout before {@link #start()}, never negative. */
    long remainingNanos() {
        if (!started) {
            return timeoutNanos;
        }
        return Math.max(0, deadlineNanos - nanoTime.getAsLong());
    }

    /** Milliseconds left, rounded up, at least 1 while time remains, 0 when expired. */
    int remainingMillis() {
        long nanos = remainingNanos();
        if (nanos == 0) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }

    boolean expired() {
        return started && remainingNanos() == 0;
    }
}
