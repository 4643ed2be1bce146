package org.sluice.core.dtls;

import java.util.concurrent.atomic.LongAdder;

/**
 * Simple counters of DTLS activity. One instance may be shared by many endpoints to get
 * process-wide totals (all methods are thread-safe), or each endpoint gets its own.
 */
public final class DtlsCounters {
    private final LongAdder recordsReceived = new LongAdder();
    private final LongAdder recordsDropped = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder handshakesCompleted = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();

    /** Datagrams handed to {@link DtlsEndpoint#receive}, valid or not. */
    public long recordsReceived() {
        return recordsReceived.sum();
    }

    /** Datagrams dropped before reaching the TLS engine: malformed, too large, queue full, or after close. */
    public long recordsDropped() {
        return recordsDropped.sum();
    }

    /** Of {@link #recordsDropped()}: datagrams that found the endpoint's inbound queue full. */
    public long queueFull() {
        return queueFull.sum();
    }

    /** Handshakes that reached CONNECTED. */
    public long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    /** Handshakes that ended in FAILED (timeouts, alerts, fingerprint mismatches, executor rejections). */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    void recordReceived() {
        recordsReceived.increment();
    }

    void recordDropped() {
        recordsDropped.increment();
    }

    void recordQueueFull() {
        recordsDropped.increment();
        queueFull.increment();
    }

    void handshakeCompleted() {
        handshakesCompleted.increment();
    }

    void handshakeFailed() {
        handshakeFailures.increment();
    }

    @Override
    public String toString() {
        return "DtlsCounters{received=" + recordsReceived() + ", dropped=" + recordsDropped()
                + ", completed=" + handshakesCompleted() + ", failures=" + handshakeFailures() + '}';
    }
}
