package org.sluice.core.conference;

import java.util.List;
import org.sluice.core.forward.MediaKind;

/**
 * A published track as others see it.
 *
 * @param id            server-assigned track id
 * @param participantId its publisher
 * @param kind          audio or video
 * @param source        camera, microphone, screen...
 * @param muted         whether its publisher muted it
 * @param layers        simulcast layers, lowest first; empty for a single-layer track
 */
public record TrackInfo(String id, String participantId, MediaKind kind, TrackSource source, boolean muted,
                        List<Layer> layers) {

    public TrackInfo {
        layers = List.copyOf(layers);
    }
}
