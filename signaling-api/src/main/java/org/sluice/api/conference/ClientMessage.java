package org.sluice.api.conference;

import java.util.List;
import org.sluice.core.conference.TrackPublication;
import org.sluice.core.datachannel.DataEnvelope;

/** A validated client request (the message's {@code type} and fields; the {@code id} travels beside it). */
public sealed interface ClientMessage {

    /**
     * {@code join}: a fresh join ({@code resume == null}) or a resumption.
     *
     * @param room          the room; {@code null} only when resuming
     * @param name          display name, empty when absent
     * @param metadata      the metadata as JSON text, {@code null} when absent
     * @param autoSubscribe receive every track without asking
     * @param resume        the participant to resume, or {@code null}
     */
    record Join(String room, String name, String metadata, boolean autoSubscribe, Resume resume)
            implements ClientMessage {
    }

    /** The {@code resume} object of a {@code join}. */
    record Resume(String participantId, String resumeToken) {
    }

    /** {@code offer}: an SDP offer and what its sending sections publish. */
    record Offer(String sdp, List<TrackPublication> publications) implements ClientMessage {
        public Offer {
            publications = List.copyOf(publications);
        }
    }

    /** {@code trickle}: accepted and ignored (the server is ICE-lite). */
    record Trickle() implements ClientMessage {
    }

    /** {@code unpublish}. */
    record Unpublish(String trackId) implements ClientMessage {
    }

    /** {@code mute}. */
    record Mute(String trackId, boolean muted) implements ClientMessage {
    }

    /** {@code subscribe}. */
    record Subscribe(List<String> trackIds) implements ClientMessage {
        public Subscribe {
            trackIds = List.copyOf(trackIds);
        }
    }

    /** {@code unsubscribe}. */
    record Unsubscribe(List<String> trackIds) implements ClientMessage {
        public Unsubscribe {
            trackIds = List.copyOf(trackIds);
        }
    }

    /**
     * {@code preferences}: only the fields present change ({@code null} = keep).
     *
     * @param setsMaxLayer     whether {@code maxLayer} was present (a JSON {@code null} clears the cap)
     * @param maxFramerate     frames per second, 0 = no limit
     * @param maxSpatialLayer  spatial layer id, -1 = no limit
     * @param maxTemporalLayer temporal layer id, -1 = no limit
     */
    record Preferences(String trackId, Boolean paused, Integer maxHeight, boolean setsMaxLayer, String maxLayer,
                       Integer priority, Double maxFramerate, Integer maxSpatialLayer, Integer maxTemporalLayer)
            implements ClientMessage {

        /** Without frame rate or layer id limits (they keep their value). */
        Preferences(String trackId, Boolean paused, Integer maxHeight, boolean setsMaxLayer, String maxLayer,
                    Integer priority) {
            this(trackId, paused, maxHeight, setsMaxLayer, maxLayer, priority, null, null, null);
        }
    }

    /** {@code update}: {@code null} fields are unchanged; metadata is JSON text. */
    record Update(String name, String metadata) implements ClientMessage {
    }

    /** {@code leave}. */
    record Leave() implements ClientMessage {
    }

    /** {@code answered}: the client applied the answers it was given (its receive sections know their tracks). */
    record Answered() implements ClientMessage {
    }

    /** {@code ping}. */
    record Ping() implements ClientMessage {
    }

    /** A room message over the socket: the fallback for clients without data channels. */
    record Data(DataEnvelope envelope, boolean reliable) implements ClientMessage {
    }

    /** The topics whose room messages to get; {@code null}: all of them. */
    record DataTopics(List<String> topics) implements ClientMessage {
    }
}
