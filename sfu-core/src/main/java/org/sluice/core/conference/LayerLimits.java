package org.sluice.core.conference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a subscription's preferences become the spatial and temporal layer limit of its stream (what
 * {@code OutboundStream.limitLayers} is given). Pure functions; the rules:
 *
 * <ul>
 * <li><b>Temporal, from {@code maxFramerate}</b>: the highest temporal layer whose measured cumulative frame rate
 * (that layer with those below it, at the spatial layer forwarded) is at most {@code maxFramerate} + 10%; the lowest
 * layer when none is. So a 30 fps L1T3 stream (7.5 / 15 / 30 fps) gives T1 for 15 fps and T0 for 7.5 or 10 fps.
 * The layer already applied is kept while its rate stays within {@code maxFramerate} + 25%, so a rate measured
 * a frame high does not flap the choice. Before anything is measured the lowest layer is forwarded (never more
 * than asked); a stream without temporal layers has only T0 and is forwarded whole.</li>
 * <li><b>Spatial, from {@code maxHeight}</b> (a VP9 SVC track: one stream carrying several spatial layers): spatial
 * layer {@code s} of {@code N} is taken to be {@code H / r^(N-1-s)} tall, where {@code H} is the full height the
 * publisher declared and {@code r} is 2 (the {@code LnTm} modes) or 1.5 (the {@code LnTmh} modes); the highest
 * layer no taller than {@code maxHeight} is forwarded, the lowest when none fits. {@code N} comes from the declared
 * scalability mode, else from the spatial layers measured on the stream. Without a declared height (or with one
 * spatial layer) {@code maxHeight} does not limit the spatial layer. L3T3_KEY at 1280x720 gives 320x180, 640x360
 * and 1280x720: {@code maxHeight} 360 forwards S1.</li>
 * <li>{@code maxSpatialLayer} and {@code maxTemporalLayer} cap what the rules above give.</li>
 * </ul>
 */
final class LayerLimits {

    /** No limit (the forwarding path's {@code LayerSelector.ALL}). */
    static final int ALL = 7;
    /** Layers the publisher's rates are measured for, per dimension. */
    static final int MEASURED_LAYERS = 4;
    /** A rate this far above {@code maxFramerate} still fits (a 1 s window counts a frame more or less). */
    static final double FIT = 1.10;
    /** The layer applied already is kept until its rate is this far above {@code maxFramerate}. */
    static final double KEEP = 1.25;

    private static final Pattern MODE = Pattern.compile("L([1-8])T([1-8])(h?)(_KEY(_SHIFT)?)?");

    /** Cumulative frame rate of decode target (spatial, temporal); 0 when it carries nothing. */
    @FunctionalInterface
    interface FrameRates {
        double framesPerSecond(int spatial, int temporal);
    }

    private LayerLimits() {
    }

    /**
     * The temporal layer to forward of spatial layer {@code spatial} for {@code maxFramerate} ({@link #ALL} when
     * it is 0); {@code current} is the temporal limit applied now, -1 if none.
     */
    static int temporalFor(FrameRates rates, int spatial, double maxFramerate, int current) {
        if (maxFramerate <= 0) {
            return ALL;
        }
        int highest = -1;
        for (int t = MEASURED_LAYERS - 1; t >= 0 && highest < 0; t--) {
            if (rates.framesPerSecond(spatial, t) > 0) {
                highest = t;
            }
        }
        if (highest < 0) {
            // Nothing measured yet: keep what is applied, else start at the lowest layer.
            return current >= 0 && current < ALL ? current : 0;
        }
        int chosen = 0;
        for (int t = 0; t <= highest; t++) {
            if (rates.framesPerSecond(spatial, t) <= maxFramerate * FIT) {
                chosen = t;
            }
        }
        if (current > chosen && current <= highest && rates.framesPerSecond(spatial, current) <= maxFramerate * KEEP) {
            return current;
        }
        return chosen;
    }

    /**
     * The spatial layer to forward for {@code maxHeight} on a track of {@code fullHeight} pixels with
     * {@code spatialLayers} spatial layers scaled by {@code ratio} each ({@link #ALL} when there is no limit or
     * nothing to map it on).
     */
    static int spatialFor(int maxHeight, int fullHeight, int spatialLayers, double ratio) {
        if (maxHeight <= 0 || fullHeight <= 0 || spatialLayers <= 1) {
            return ALL;
        }
        for (int s = spatialLayers - 1; s > 0; s--) {
            double height = fullHeight / Math.pow(ratio, spatialLayers - 1 - s);
            if (Math.round(height) <= maxHeight) {
                return s == spatialLayers - 1 ? ALL : s;
            }
        }
        return 0;
    }

    /** Spatial layers of a scalability mode such as {@code L3T3_KEY}; 0 when not given or not understood. */
    static int spatialLayers(String scalabilityMode) {
        Matcher m = scalabilityMode == null ? null : MODE.matcher(scalabilityMode);
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Temporal layers of a scalability mode such as {@code L1T3}; 0 when not given or not understood. */
    static int temporalLayers(String scalabilityMode) {
        Matcher m = scalabilityMode == null ? null : MODE.matcher(scalabilityMode);
        return m != null && m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** The resolution ratio between adjacent spatial layers of a scalability mode: 1.5 for the "h" modes, else 2. */
    static double spatialRatio(String scalabilityMode) {
        Matcher m = scalabilityMode == null ? null : MODE.matcher(scalabilityMode);
        return m != null && m.matches() && !m.group(3).isEmpty() ? 1.5 : 2.0;
    }

    /** {@code a} capped by {@code cap} (-1: no cap). */
    static int capped(int a, int cap) {
        return cap < 0 ? a : Math.min(a, cap);
    }
}
