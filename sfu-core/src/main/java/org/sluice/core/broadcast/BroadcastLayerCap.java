package org.sluice.core.broadcast;

/**
 * Caps a WHIP publisher's send rate by REMB while no WHEP viewer can use its top simulcast layers, so a browser
 * stops encoding and sending them (a WHIP client has no signaling to switch encodings off, unlike a conference
 * publisher). Evaluated about once a second on the publisher's loop.
 *
 * <ul>
 * <li>A viewer can use a layer if its allocator chose it; the allocator chooses among layers that arrive, so a
 *     viewer is taken to be limited only when a higher layer arrives and its allocator did not choose it.</li>
 * <li>When every viewer has been limited so for {@link #CAP_DELAY_NANOS}, the cap is the measured rate of the
 *     layers below the top one, × {@link #HEADROOM}, plus {@link #AUDIO_BPS}: only the top layer is left out, one
 *     step at a time, so a viewer whose estimate is still ramping up is not held on the lowest layer (measured: a
 *     cap down to the layer such a viewer used starved the layer it could have carried).</li>
 * <li>The cap is lifted after {@link #HOLD_NANOS} (the top layers come back and the viewers' allocators, which
 *     cannot see a layer that does not arrive, look again, probing if needed), and at once when the last viewer
 *     leaves.</li>
 * <li>Without viewers there is no cap: a publisher waiting for its first viewer should not start it low.</li>
 * </ul>
 */
final class BroadcastLayerCap {

    static final long CAP_DELAY_NANOS = 3_000_000_000L;
    static final long HOLD_NANOS = 10_000_000_000L;
    static final double HEADROOM = 1.25;
    static final long AUDIO_BPS = 64_000;
    /** No cap. */
    static final long NONE = Long.MAX_VALUE;

    private long limitedSince = -1;
    private long cappedAt = -1;
    private long capBps = NONE;

    /**
     * The cap at {@code nowNanos}: {@code layerBps[i]} is layer i's measured rate, -1 when it does not arrive;
     * {@code viewerLayers} the layer each viewer's allocator allows ({@link Integer#MAX_VALUE}: no limit).
     */
    long decide(long nowNanos, long[] layerBps, int[] viewerLayers) {
        int highestLive = -1;
        for (int i = layerBps.length - 1; i >= 0 && highestLive < 0; i--) {
            if (layerBps[i] >= 0) {
                highestLive = i;
            }
        }
        if (capBps != NONE) {
            if (viewerLayers.length == 0 || nowNanos - cappedAt >= HOLD_NANOS) {
                capBps = NONE;
                limitedSince = -1;
            }
            return capBps;
        }
        boolean allLimited = viewerLayers.length > 0 && highestLive > 0;
        for (int allowed : viewerLayers) {
            if (allowed >= highestLive) {
                allLimited = false;
            }
        }
        if (!allLimited) {
            limitedSince = -1;
            return NONE;
        }
        if (limitedSince < 0) {
            limitedSince = nowNanos;
        }
        if (nowNanos - limitedSince < CAP_DELAY_NANOS) {
            return NONE;
        }
        long sum = 0;
        for (int i = 0; i < highestLive; i++) {
            sum += Math.max(0, layerBps[i]);
        }
        capBps = (long) (sum * HEADROOM) + AUDIO_BPS;
        cappedAt = nowNanos;
        return capBps;
    }
}
