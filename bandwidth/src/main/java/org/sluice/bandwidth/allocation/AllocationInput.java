package org.sluice.bandwidth.allocation;

import java.util.Objects;

/**
 * What the {@link BitrateAllocator} knows of one subscription. Mutable and reusable: the leg keeps
 * one per subscription and refreshes it before each allocation, so allocating creates no objects.
 *
 * <h2>Layer bitrates</h2>
 * {@code layerBitrates[spatial][temporal]} is the bitrate, in bits per second, that the receiver gets
 * when that layer is forwarded: for simulcast, the rate of the spatial layer's stream up to and
 * including that temporal layer; for SVC, also including the lower spatial layers it depends on.
 * So each value already is the whole cost of choosing that layer, not an increment. A value of 0
 * means the layer is not arriving. Rows may differ in length. For audio only
 * {@code layerBitrates[0][0]} is read (the stream's rate); a missing or empty array counts as 0.
 *
 * <h2>Limits</h2>
 * {@link #maxSpatial()} and {@link #maxTemporal()} are the highest layers the subscriber wants
 * (derived from its {@code maxHeight} and {@code maxFramerate}); {@link Integer#MAX_VALUE} means
 * no limit. When no arriving layer is within them, the lowest arriving layer is used anyway, so a
 * subscriber is never left without video because of a preference.
 */
public final class AllocationInput {

    private static final long[][] NO_LAYERS = new long[0][];

    private long id;
    private TrackKind kind = TrackKind.VIDEO;
    private VideoPriority priority = VideoPriority.OTHER;
    private long[][] layerBitrates = NO_LAYERS;
    private int maxSpatial = Integer.MAX_VALUE;
    private int maxTemporal = Integer.MAX_VALUE;
    private boolean paused;
    private int clientPriority;
    private int currentSpatial = -1;
    private int currentTemporal = -1;

    /** Starts over for subscription {@code id}: no layers, no limits, not paused, nothing forwarded. */
    public AllocationInput reset(long id, TrackKind kind) {
        this.id = id;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.priority = VideoPriority.OTHER;
        this.layerBitrates = NO_LAYERS;
        this.maxSpatial = Integer.MAX_VALUE;
        this.maxTemporal = Integer.MAX_VALUE;
        this.paused = false;
        this.clientPriority = 0;
        this.currentSpatial = -1;
        this.currentTemporal = -1;
        return this;
    }

    public AllocationInput priority(VideoPriority priority) {
        this.priority = Objects.requireNonNull(priority, "priority");
        return this;
    }

    /** The measured rates, read during {@link BitrateAllocator#allocate} and not kept. */
    public AllocationInput layerBitrates(long[][] layerBitrates) {
        this.layerBitrates = layerBitrates == null ? NO_LAYERS : layerBitrates;
        return this;
    }

    public AllocationInput limits(int maxSpatial, int maxTemporal) {
        this.maxSpatial = maxSpatial;
        this.maxTemporal = maxTemporal;
        return this;
    }

    public AllocationInput paused(boolean paused) {
        this.paused = paused;
        return this;
    }

    /** A tie breaker among subscriptions of the same {@link VideoPriority}: higher first. */
    public AllocationInput clientPriority(int clientPriority) {
        this.clientPriority = clientPriority;
        return this;
    }

    /** The layer being forwarded now, or (-1, -1) when none is. Upgrades above it need headroom. */
    public AllocationInput current(int spatial, int temporal) {
        this.currentSpatial = spatial;
        this.currentTemporal = temporal;
        return this;
    }

    public long id() {
        return id;
    }

    public TrackKind kind() {
        return kind;
    }

    public VideoPriority priority() {
        return priority;
    }

    public long[][] layerBitrates() {
        return layerBitrates;
    }

    public int maxSpatial() {
        return maxSpatial;
    }

    public int maxTemporal() {
        return maxTemporal;
    }

    public boolean isPaused() {
        return paused;
    }

    public int clientPriority() {
        return clientPriority;
    }

    public int currentSpatial() {
        return currentSpatial;
    }

    public int currentTemporal() {
        return currentTemporal;
    }

    /** The rate of layer (spatial, temporal), 0 when it does not exist or is not arriving. */
    long bitrate(int spatial, int temporal) {
        if (spatial < 0 || spatial >= layerBitrates.length) {
            return 0;
        }
        long[] row = layerBitrates[spatial];
        return row == null || temporal < 0 || temporal >= row.length ? 0 : Math.max(row[temporal], 0);
    }

    @Override
    public String toString() {
        return "AllocationInput[" + id + " " + kind + " " + priority + " current=(" + currentSpatial + ","
                + currentTemporal + ")" + (paused ? " paused" : "") + "]";
    }
}
