package org.sluice.core.conference;

import java.util.List;

/**
 * A participant as others see it.
 *
 * @param id       server-assigned participant id
 * @param name     display name
 * @param metadata opaque application JSON text, or {@code null}
 * @param tracks   its published tracks
 */
public record ParticipantInfo(String id, String name, String metadata, List<TrackInfo> tracks) {

    public ParticipantInfo {
        tracks = List.copyOf(tracks);
    }
}
