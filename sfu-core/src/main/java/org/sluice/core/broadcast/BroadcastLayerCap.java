package org.sluice.core.broadcast;

/**
 * Caps a WHIP publisher's send rate by REMB while no WHEP viewer can use its highest simulcast layer, so the
 * publisher stops encoding and sending it (a WHIP client has no signaling that could switch an encoding off, unlike a
 * conference publisher). Pure logic, evaluated about once a second on the publisher's loop with the time passed in.
 *
 * <p>A browser divides its send rate over its simulcast layers lowest first: each lower layer gets its target rate,
 * the highest enabled one what is left up to its maximum, and a layer is enabled only if what is left reaches its
 * minimum. A cap computed from the layers' measured rates can therefore starve a lower layer (an encoder below its
 * target sends less than the target it is allocated), which halves the frame rate of the very layer the viewers
 * watch. So the cap is not computed; it is found:
 * <ol>
 * <li><b>Limited.</b> Once every viewer's allocator has held it below the highest arriving layer (the
 *     <em>unwanted</em> layer) for {@link #LIMITED_FOR_NANOS}, and no viewer joined in the last
 *     {@link #JOIN_SETTLE_NANOS}, the cap starts a little above what the publisher sends
 *     now ({@link #START_HEADROOM}).</li>
 * <li><b>Descending.</b> While the unwanted layer still arrives, the cap falls by {@link #STEP} each evaluation,
 *     never below the measured rate of the layers beneath it with {@link #FLOOR_HEADROOM}. The browser switches the
 *     layer off exactly when what is left for it falls below its minimum, that is when the layers beneath still get
 *     their whole targets.</li>
 * <li><b>Holding.</b> Once the layer stopped ({@link LayerSnapshot#flowing}), the cap stays where it is. If the
 *     viewers are still all below the highest layer that arrives now, the next layer down is descended from there.</li>
 * <li><b>Lifted</b> at once when a viewer's estimate carries the unwanted layer at the rate it had (estimates grow
 *     while capped: a receiver that is application limited is probed periodically), when a viewer took the layer
 *     while it still came, when a viewer joins or the last one leaves; otherwise {@link #HOLD_NANOS} after the
 *     layer stopped (the viewers' allocators, which cannot choose a layer that does not arrive, look again). A
 *     descent that does not stop the layer (a sender that ignores REMB) is given up after twice that.</li>
 * </ol>
 */
final class BroadcastLayerCap {

    /** How long every viewer must have been held below the highest arriving layer before the cap starts. */
    static final long LIMITED_FOR_NANOS = 3_000_000_000L;
    /**
     * Where the descent starts: what the publisher sends now, times this (packet overhead, and encoders that send
     * less than their targets must not get less than they are sending).
     */
    static final double START_HEADROOM = 1.2;
    /**
     * No cap starts this soon after a viewer joined: a new viewer's estimate is still finding its link, and its
     * allocator moves it down from a start that may have been too high, a move that waits for the lower layer's
     * keyframe; the publisher's layers should not change under it meanwhile.
     */
    static final long JOIN_SETTLE_NANOS = 10_000_000_000L;
    /** How much the cap falls per evaluation while the unwanted layer still arrives. */
    static final double STEP = 0.85;
    /** How long the cap holds after the unwanted layer stopped. */
    static final long HOLD_NANOS = 8_000_000_000L;
    /** The floor: the layers beneath the unwanted one at their measured rate times this, plus {@link #AUDIO_BPS}. */
    static final double FLOOR_HEADROOM = 1.25;
    /** Room left for the publisher's audio. */
    static final long AUDIO_BPS = 64_000;
    /** No cap. */
    static final long NONE = Long.MAX_VALUE;

    /**
     * The headroom a viewer's estimate needs over the unwanted layer's rate for the cap to lift: more than the
     * allocator's 15%, as the estimate of a receiver that is application limited runs ahead of its link (measured:
     * 780 kbit/s behind a 700 kbit/s link), and the periodic probes of such a receiver lift it well past this when
     * its link really grew.
     */
    static final double LIFT_HEADROOM = 1.5;

    private long limitedSince = -1;
    /** The unwanted layer's measured rate when its descent started. */
    private long unwantedBps;
    private long capBps = NONE;
    /** The layer being switched off, while capped. */
    private int unwanted = -1;
    private long descentStarted;
    /** When the unwanted layer was seen to stop, -1 while it still arrives. */
    private long stoppedAt = -1;
    private long viewerJoins = -1;
    private long lastJoinNanos;
    private long caps;

    /**
     * The cap at {@code nowNanos} ({@link #NONE}: none). {@code viewerLayers}: the layer each viewer's allocator
     * allows ({@link Integer#MAX_VALUE}: no limit); {@code viewerEstimates}: each viewer's bandwidth estimate (-1:
     * none yet); {@code viewerJoins}: viewers that ever joined the room.
     */
    long decide(long nowNanos, LayerSnapshot layers, int[] viewerLayers, long[] viewerEstimates, long viewerJoins) {
        boolean joined = this.viewerJoins >= 0 && viewerJoins != this.viewerJoins;
        if (viewerJoins != this.viewerJoins) {
            lastJoinNanos = nowNanos;
        }
        this.viewerJoins = viewerJoins;
        int highestLive = layers.highestLive();
        if (viewerLayers.length == 0 || joined || highestLive < 0) {
            return lift();
        }
        if (capBps != NONE && (!allBelow(viewerLayers, unwanted) || carried(viewerEstimates))) {
            return lift(); // a viewer took the layer while it still came, or its link now carries it
        }
        if (capBps == NONE) {
            if (!allBelow(viewerLayers, highestLive) || highestLive == 0) {
                limitedSince = -1;
                return NONE;
            }
            if (limitedSince < 0) {
                limitedSince = nowNanos;
            }
            if (nowNanos - limitedSince < LIMITED_FOR_NANOS || nowNanos - lastJoinNanos < JOIN_SETTLE_NANOS) {
                return NONE;
            }
            caps++;
            return descend(nowNanos, highestLive, (long) (layers.totalBps(highestLive) * START_HEADROOM) + AUDIO_BPS,
                    layers.bps()[highestLive]);
        }
        if (stoppedAt < 0) {
            if (!layers.flowing(unwanted)) {
                stoppedAt = nowNanos;
                limitedSince = nowNanos;
                return capBps;
            }
            if (nowNanos - descentStarted >= 2 * HOLD_NANOS) {
                return lift();
            }
            capBps = Math.max(floor(layers, unwanted), (long) (capBps * STEP));
            return capBps;
        }
        if (nowNanos - stoppedAt >= HOLD_NANOS) {
            return lift();
        }
        if (layers.flowing(unwanted)) {
            stoppedAt = -1; // it came back under the same cap (the sender's own hysteresis): further down
            capBps = Math.max(floor(layers, unwanted), (long) (capBps * STEP));
            return capBps;
        }
        if (highestLive > 0 && highestLive < unwanted && allBelow(viewerLayers, highestLive)
                && nowNanos - limitedSince >= LIMITED_FOR_NANOS) {
            // the next layer down is not used either
            return descend(nowNanos, highestLive, capBps, layers.bps()[highestLive]);
        }
        return capBps;
    }

    /** Whether a viewer's estimate carries the unwanted layer as it was measured, with its audio and headroom. */
    private boolean carried(long[] viewerEstimates) {
        long needed = (long) ((unwantedBps + AUDIO_BPS) * LIFT_HEADROOM);
        for (long estimate : viewerEstimates) {
            if (estimate >= needed) {
                return true;
            }
        }
        return false;
    }

    private long descend(long nowNanos, int layer, long fromBps, long layerBps) {
        unwanted = layer;
        unwantedBps = layerBps;
        descentStarted = nowNanos;
        stoppedAt = -1;
        capBps = fromBps;
        return capBps;
    }

    private long lift() {
        capBps = NONE;
        unwanted = -1;
        stoppedAt = -1;
        limitedSince = -1;
        return NONE;
    }

    private static long floor(LayerSnapshot layers, int unwanted) {
        return (long) (layers.totalBps(unwanted - 1) * FLOOR_HEADROOM) + AUDIO_BPS;
    }

    private static boolean allBelow(int[] viewerLayers, int layer) {
        for (int allowed : viewerLayers) {
            if (allowed >= layer) {
                return false;
            }
        }
        return true;
    }

    /** The layer being switched off now, -1 when there is no cap. */
    int unwantedLayer() {
        return unwanted;
    }

    /** How many times a cap started. */
    long caps() {
        return caps;
    }

    /**
     * The publisher's simulcast layers at one evaluation, lowest first: {@code bps[i]} is layer i's measured rate, -1
     * when it does not arrive (no packet for the liveness timeout); {@code flowing[i]} whether it had a packet very
     * recently (a stopped layer is seen within a few frame intervals).
     */
    record LayerSnapshot(long[] bps, boolean[] flowing) {

        int highestLive() {
            for (int i = bps.length - 1; i >= 0; i--) {
                if (bps[i] >= 0) {
                    return i;
                }
            }
            return -1;
        }

        boolean flowing(int layer) {
            return layer >= 0 && layer < flowing.length && flowing[layer];
        }

        /** The measured rates of layers 0 to {@code upTo}, the ones that arrive. */
        long totalBps(int upTo) {
            long sum = 0;
            for (int i = 0; i <= Math.min(upTo, bps.length - 1); i++) {
                sum += Math.max(0, bps[i]);
            }
            return sum;
        }
    }
}
