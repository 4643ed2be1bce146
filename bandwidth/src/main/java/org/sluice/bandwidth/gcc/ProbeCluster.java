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

    /** Bytes the cluster must carry to last its minimum duration at its rate. */
    public long minBytes() {
        return bitrateBps * minDurationNanos / 8_000_000_000L;
    }
}
