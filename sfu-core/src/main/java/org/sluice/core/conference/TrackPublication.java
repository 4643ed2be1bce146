package org.sluice.core.conference;

import java.util.List;

/**
 * What a participant says about one of the sections it sends in an offer.
 *
 * @param mid             the sending m-section
 * @param source          what it carries
 * @param muted           whether it starts muted
 * @param layers          its simulcast layers, lowest first (rids as in the offer's {@code a=simulcast}); empty for
 *                        one layer
 * @param width           the full picture width of a video track in pixels (its top layer), 0 if not declared
 * @param height          the full picture height of a video track in pixels (its top layer), 0 if not declared
 * @param scalabilityMode the WebRTC-SVC scalability mode its encoder was given (e.g. {@code L1T3},
 *                        {@code L3T3_KEY}), or {@code null} if not declared
 */
public record TrackPublication(String mid, TrackSource source, boolean muted, List<Layer> layers, int width,
                               int height, String scalabilityMode) {

    public TrackPublication {
        layers = List.copyOf(layers);
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be >= 0");
        }
    }

    /** A publication that declares no picture size or scalability mode. */
    public TrackPublication(String mid, TrackSource source, boolean muted, List<Layer> layers) {
        this(mid, source, muted, layers, 0, 0, null);
    }
}
