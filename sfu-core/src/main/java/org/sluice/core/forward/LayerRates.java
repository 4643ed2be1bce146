package org.sluice.core.forward;

/**
 * What one publisher stream delivers per layer, measured at ingress over the last second: frame rate and bitrate
 * of decoding each (spatial, temporal) layer, counting the layers below it (what a receiver given that layer
 * gets). Immutable; published by the publisher's loop about twice a second and read from any thread.
 */
public final class LayerRates {

    /** Layers tracked per dimension. */
    public static final int LAYERS = 4;

    /** Nothing measured yet. */
    public static final LayerRates NONE = new LayerRates(new double[LAYERS * LAYERS], new long[LAYERS * LAYERS]);

    private final double[] framesPerSecond;
    private final long[] bitsPerSecond;

    /** Arrays indexed {@code spatial * LAYERS + temporal}, cumulative; taken as they are (not copied). */
    LayerRates(double[] framesPerSecond, long[] bitsPerSecond) {
        this.framesPerSecond = framesPerSecond;
        this.bitsPerSecond = bitsPerSecond;
    }

    /** Frames per second a receiver of layer (spatial, temporal) decodes. */
    public double framesPerSecond(int spatial, int temporal) {
        return inRange(spatial, temporal) ? framesPerSecond[spatial * LAYERS + temporal] : 0;
    }

    private static boolean inRange(int spatial, int temporal) {
        return spatial >= 0 && spatial < LAYERS && temporal >= 0 && temporal < LAYERS;
    }

    /** Bits per second of layer (spatial, temporal) with the layers it builds on. */
    public long bitsPerSecond(int spatial, int temporal) {
        return inRange(spatial, temporal) ? bitsPerSecond[spatial * LAYERS + temporal] : 0;
    }

    /** The highest temporal layer that carries frames at spatial layer {@code spatial}, -1 when none does. */
    public int highestTemporal(int spatial) {
        for (int t = LAYERS - 1; t >= 0; t--) {
            if (framesPerSecond(spatial, t) > 0) {
                return t;
            }
        }
        return -1;
    }

    /** The highest spatial layer that carries frames, -1 when none does. */
    public int highestSpatial() {
        for (int s = LAYERS - 1; s >= 0; s--) {
            if (framesPerSecond(s, LAYERS - 1) > 0 || highestTemporal(s) >= 0) {
                return s;
            }
        }
        return -1;
    }

    /**
     * The lowest temporal layer of spatial layer {@code spatial} whose frame rate reaches {@code framesPerSecond}
     * (within 10%), or the highest layer when none does; {@link LayerSelector#ALL}-like 7 when nothing is measured.
     */
    public int temporalFor(int spatial, double framesPerSecond) {
        int highest = highestTemporal(spatial);
        if (highest < 0) {
            return 7;
        }
        for (int t = 0; t <= highest; t++) {
            if (framesPerSecond(spatial, t) >= framesPerSecond * 0.9) {
                return t;
            }
        }
        return highest;
    }
}
