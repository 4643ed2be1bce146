package org.sluice.core.forward;

/**
 * How regularly one publisher stream arrives, measured at ingress and published with its rates (about twice a
 * second): the RFC 3550 interarrival jitter of its packets and, for video, the variation of its frames' delay (the
 * same estimator applied to completed frames by the frame tracker). Immutable.
 *
 * @param jitterMillis              RFC 3550 §6.4.1 interarrival jitter, in milliseconds
 * @param frameDelayVariationMillis the smoothed frame delay variation in milliseconds, -1 for audio
 */
public record IngressQuality(double jitterMillis, double frameDelayVariationMillis) {

    /** Nothing measured yet. */
    public static final IngressQuality NONE = new IngressQuality(0, -1);
}
