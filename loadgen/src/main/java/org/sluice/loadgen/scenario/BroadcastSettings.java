package org.sluice.loadgen.scenario;

import java.time.Duration;

/**
 * A broadcast run: {@code rooms} rooms, each with one publisher and {@code viewersPerRoom} viewers;
 * viewers join {@code setupConcurrency} at a time; after {@code warmup} the measurement window of
 * {@code duration} starts; after it the publishers stop and the streams get {@code drain} to arrive. With
 * {@code churnPerSecond} above 0, that many viewers a second leave and are replaced by new ones from the last join
 * to the end of the window.
 */
public record BroadcastSettings(int rooms, int viewersPerRoom, MediaSettings media, Duration warmup,
                                Duration duration, Duration drain, int setupConcurrency, Duration connectTimeout,
                                String roomPrefix, double churnPerSecond) {

    /** Without churn. */
    public BroadcastSettings(int rooms, int viewersPerRoom, MediaSettings media, Duration warmup, Duration duration,
                             Duration drain, int setupConcurrency, Duration connectTimeout, String roomPrefix) {
        this(rooms, viewersPerRoom, media, warmup, duration, drain, setupConcurrency, connectTimeout, roomPrefix, 0);
    }

    public BroadcastSettings {
        if (!(churnPerSecond >= 0 && churnPerSecond <= 1000)) {
            throw new IllegalArgumentException("churn: 0 to 1000 viewers per second");
        }
        if (rooms < 1 || viewersPerRoom < 1 || rooms * viewersPerRoom > 20_000 || setupConcurrency < 1) {
            throw new IllegalArgumentException("1..20000 viewers in total, at least one room and one setup thread");
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException("duration > 0, warm-up and drain >= 0");
        }
    }

    public int totalViewers() {
        return rooms * viewersPerRoom;
    }
}
