package org.sluice.core.conference;

import java.util.List;

/**
 * The engine's answer to a participant's offer.
 *
 * @param answerSdp the SDP answer
 * @param published the tracks the offer publishes: mid → track id (existing publications keep their ids)
 * @param receiving what each receive section carries; receive sections not listed are inactive
 */
public record NegotiationResult(String answerSdp, List<Published> published, List<Receiving> receiving) {

    public NegotiationResult {
        published = List.copyOf(published);
        receiving = List.copyOf(receiving);
    }

    /** A sending section of the participant and the track it publishes. */
    public record Published(String mid, String trackId) {
    }

    /** A receive section of the participant and the remote track the server sends in it. */
    public record Receiving(String mid, String trackId, String participantId) {
    }
}
