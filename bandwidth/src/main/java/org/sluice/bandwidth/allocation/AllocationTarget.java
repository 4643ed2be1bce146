package org.sluice.bandwidth.allocation;

/**
 * What the {@link BitrateAllocator} decided for one subscription: the layer to forward, or none and
 * why. Mutable and reusable, written by {@link BitrateAllocator#allocate}.
 */
public final class AllocationTarget {

    private long id;
    private int spatial = -1;
    private int temporal = -1;
    private PauseReason reason = PauseReason.NONE;
    private long bitrateBps;

    void set(long id, int spatial, int temporal, PauseReason reason, long bitrateBps) {
        this.id = id;
        this.spatial = spatial;
        this.temporal = temporal;
        this.reason = reason;
        this.bitrateBps = bitrateBps;
    }

    /** The subscription's id, copied from its input. */
    public long id() {
        return id;
    }

    /** The spatial layer to forward, -1 when paused. Audio gets 0. */
    public int spatial() {
        return spatial;
    }

    /** The temporal layer to forward, -1 when paused. Audio gets 0. */
    public int temporal() {
        return temporal;
    }

    /** Whether the subscription gets nothing; {@link #reason()} says why. */
    public boolean isPaused() {
        return reason != PauseReason.NONE;
    }

    public PauseReason reason() {
        return reason;
    }

    /** The bitrate allocated to it, 0 when paused. */
    public long bitrateBps() {
        return bitrateBps;
    }

    /** Whether this differs from what {@code input} says is forwarded now. */
    public boolean changesFrom(AllocationInput input) {
        return spatial != input.currentSpatial() || temporal != input.currentTemporal();
    }

    @Override
    public String toString() {
        return isPaused() ? "AllocationTarget[" + id + " paused " + reason + "]"
                : "AllocationTarget[" + id + " (" + spatial + "," + temporal + ") " + bitrateBps + " bps]";
    }
}
