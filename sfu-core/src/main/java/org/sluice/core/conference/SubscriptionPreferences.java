package org.sluice.core.conference;

/**
 * A subscriber's wishes for one track it receives.
 *
 * @param paused    stop forwarding the track (its section stays; nothing is sent)
 * @param maxHeight the tallest layer wanted, in pixels; 0 for no limit (chooses among declared simulcast layers)
 * @param maxLayer  the highest layer wanted by rid, or {@code null} for no limit
 * @param priority  relative importance for the bandwidth allocator, 0–255 (higher first; default 100)
 */
public record SubscriptionPreferences(boolean paused, int maxHeight, String maxLayer, int priority) {

    /** Forward everything at the best layer, default priority. */
    public static final SubscriptionPreferences DEFAULT = new SubscriptionPreferences(false, 0, null, 100);

    public SubscriptionPreferences {
        if (maxHeight < 0 || priority < 0 || priority > 255) {
            throw new IllegalArgumentException("maxHeight must be >= 0 and priority 0..255");
        }
    }
}
