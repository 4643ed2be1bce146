package org.sluice.core.conference;

import java.util.List;

/**
 * What a participant says about one of the sections it sends in an offer.
 *
 * @param mid    the sending m-section
 * @param source what it carries
 * @param muted  whether it starts muted
 * @param layers its simulcast layers, lowest first (rids as in the offer's {@code a=simulcast}); empty for one layer
 */
public record TrackPublication(String mid, TrackSource source, boolean muted, List<Layer> layers) {

    public TrackPublication {
        layers = List.copyOf(layers);
    }
}
