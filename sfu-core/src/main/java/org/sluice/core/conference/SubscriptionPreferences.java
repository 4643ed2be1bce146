package org.sluice.core.conference;

/**
 * A subscriber's wishes for one track it receives.
 *
 * @param paused           stop forwarding the track (its section stays; nothing is sent)
 * @param maxHeight        the tallest picture wanted, in pixels; 0 for no limit. Chooses among declared simulcast
 *                         layers; on a VP9 SVC track also caps the spatial layer (see {@link LayerLimits})
 * @param maxLayer         the highest simulcast layer wanted by rid, or {@code null} for no limit
 * @param priority         relative importance for the bandwidth allocator, 0–255 (higher first; default 100)
 * @param maxFramerate     the highest frame rate wanted, in frames per second; 0 for no limit. Chooses the
 *                         temporal layer from the rates the publisher's stream is measured to deliver
 * @param maxSpatialLayer  the highest spatial layer id wanted (VP9 SVC), -1 for no limit
 * @param maxTemporalLayer the highest temporal layer id wanted (VP8, VP9), -1 for no limit
 */
public record SubscriptionPreferences(boolean paused, int maxHeight, String maxLayer, int priority,
                                      double maxFramerate, int maxSpatialLayer, int maxTemporalLayer) {

    /** Highest layer id a limit can name (three bits in the VP8 and VP9 payload descriptors). */
    public static final int MAX_LAYER_ID = 7;

    /** Forward everything at the best layer, default priority. */
    public static final SubscriptionPreferences DEFAULT = new SubscriptionPreferences(false, 0, null, 100);

    public SubscriptionPreferences {
        if (maxHeight < 0 || priority < 0 || priority > 255) {
            throw new IllegalArgumentException("maxHeight must be >= 0 and priority 0..255");
        }
        if (!(maxFramerate >= 0) || Double.isInfinite(maxFramerate)) {
            throw new IllegalArgumentException("maxFramerate must be a finite number >= 0");
        }
        if (maxSpatialLayer < -1 || maxSpatialLayer > MAX_LAYER_ID
                || maxTemporalLayer < -1 || maxTemporalLayer > MAX_LAYER_ID) {
            throw new IllegalArgumentException("layer limits must be -1 (none) or 0.." + MAX_LAYER_ID);
        }
    }

    /** Simulcast and pause preferences only: no frame rate or layer id limits. */
    public SubscriptionPreferences(boolean paused, int maxHeight, String maxLayer, int priority) {
        this(paused, maxHeight, maxLayer, priority, 0, -1, -1);
    }
}
