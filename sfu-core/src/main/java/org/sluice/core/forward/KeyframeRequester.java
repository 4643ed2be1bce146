package org.sluice.core.forward;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Throttles keyframe requests toward one publisher stream: however many receivers ask (PLI/FIR,
 * new viewers, layer switches), the publisher hears at most one request per interval. Thread-safe.
 */
public final class KeyframeRequester {

    /** Sends the request (PLI, FIR as fallback) toward the publisher; called at most once per interval. */
    public interface Sink {
        void requestKeyframe(long mediaSsrc);
    }

    public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final long mediaSsrc;
    private final Sink sink;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final AtomicLong lastRequest;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final RepairCounters counters;

    public KeyframeRequester(long mediaSsrc, Sink sink, LongSupplier nanoClock, long intervalNanos) {
        this(mediaSsrc, sink, nanoClock, intervalNanos, new RepairCounters());
    }

    /** As above, counting the requests that go out by cause in {@code counters}. */
    public KeyframeRequester(long mediaSsrc, Sink sink, LongSupplier nanoClock, long intervalNanos,
                             RepairCounters counters) {
        this.counters = counters;
        this.mediaSsrc = mediaSsrc;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.intervalNanos = intervalNanos;
        this.lastRequest = new AtomicLong(nanoClock.getAsLong() - intervalNanos);
    }

    /** Asks for a keyframe for a receiver that starts, resumes or switches; see {@link #request(RepairCounters.KeyframeCause)}. */
    public boolean request() {
        return request(RepairCounters.KeyframeCause.SWITCH);
    }

    /**
     * Asks for a keyframe; returns whether a request went out (false: one went out within the interval,
     * so this one is covered by it). A receiver still waiting after the interval asks again, so a lost
     * request is retried.
     */
    public boolean request(RepairCounters.KeyframeCause cause) {
        long now = nanoClock.getAsLong();
        long last = lastRequest.get();
        if (now - last < intervalNanos || !lastRequest.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return false;
        }
        counters.keyframeRequested(cause);
        requested.incrementAndGet();
        sink.requestKeyframe(mediaSsrc);
        return true;
    }

    public long requestsSent() {
        return requested.get();
    }

    public long requestsSuppressed() {
        return suppressed.get();
    }
}
