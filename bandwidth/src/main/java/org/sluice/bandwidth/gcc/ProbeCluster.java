package org.sluice.bandwidth.gcc;

/**
 * A probe cluster to send: packets tagged with {@link #id} sent at {@link #bitrateBps}, at least
 * {@link #minPackets} of them and lasting at least {@link #minDurationNanos}.
 *
 * @param id               cluster id to pass with each of its packets
 * @param bitrateBps       rate to send the cluster at
 * @param minPackets       fewest packets to send
 * @param minDurationNanos shortest time to send for
 */
public record ProbeCluster(int id, long bitrateBps, int minPackets, long minDurationNanos) {
    /** Fewest packets of a cluster. */
    public static final int MIN_PACKETS = 5;
    /** Shortest duration of a cluster. */
    public static final long MIN_DURATION_NANOS = 15_000_000;

    /**
     * Fewest bytes of a cluster, whatever its rate. A bottleneck that is a token bucket (a Linux HTB class, an access
     * link's policer) lets its burst through at line rate after an idle moment, and a cluster not much longer than
     * the burst measures that line rate: on a 700 kbit/s HTB link (1.6 kB default burst), 15 ms clusters of 250-byte
     * padding packets, 1.5 to 4 kB, came back at 540 to 910 kbit/s and lifted the estimate past the link. With
     * 10 kB such a burst adds under a fifth to what the cluster measures, less than an upgrade's headroom asks
     * for. Larger clusters cost more padding on every requested probe (at 20 kB, repeated upgrade probes took a
     * third of a 1 Mbit/s receiver's link).
     */
    public static final long MIN_BYTES = 10_000;

    /** Bytes the cluster must carry: enough to last its minimum duration at its rate, and at least {@link #MIN_BYTES}. */
    public long minBytes() {
        return Math.max(MIN_BYTES, bitrateBps * minDurationNanos / 8_000_000_000L);
    }

    /** How long sending {@link #minBytes()} at the cluster's rate takes (at least its minimum duration). */
    public long expectedDurationNanos() {
        return Math.max(minDurationNanos, minBytes() * 8_000_000_000L / Math.max(1, bitrateBps));
    }
}
