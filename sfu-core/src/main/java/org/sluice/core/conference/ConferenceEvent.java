package org.sluice.core.conference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a participant is told about its room and itself. */
public sealed interface ConferenceEvent {

    /** Someone joined the room. */
    record ParticipantJoined(ParticipantInfo participant) implements ConferenceEvent {
    }

    /** Someone changed their name or metadata. */
    record ParticipantUpdated(ParticipantInfo participant) implements ConferenceEvent {
    }

    /**
     * Someone left, was removed or lost their transport; their tracks are gone (no separate
     * {@link TrackUnpublished} is sent for them).
     */
    record ParticipantLeft(String participantId, String reason) implements ConferenceEvent {
    }

    /** A track was published; with auto-subscribe a {@link RenegotiationNeeded} follows. */
    record TrackPublished(TrackInfo track) implements ConferenceEvent {
    }

    /** A track was unpublished; it is no longer forwarded to anyone. */
    record TrackUnpublished(String participantId, String trackId) implements ConferenceEvent {
    }

    /** A track was muted or unmuted by its publisher. */
    record TrackMuted(String participantId, String trackId, boolean muted) implements ConferenceEvent {
    }

    /** The current speakers, loudest first; sent when the list changes. Empty when nobody speaks. */
    record ActiveSpeakers(List<Speaker> speakers) implements ConferenceEvent {
        public ActiveSpeakers {
            speakers = List.copyOf(speakers);
        }
    }

    /**
     * The participant's receive sections no longer match what it should receive: it must send a new offer with
     * at least {@code audio} receive-only audio sections and {@code video} receive-only video sections (counting the
     * ones it already has). The answer maps sections to tracks.
     */
    record RenegotiationNeeded(int audio, int video) implements ConferenceEvent {
    }

    /**
     * Whether this participant receives a track it subscribed to: sent when that changes (a subscription starts
     * active). {@code reason} is null when active.
     */
    record SubscriptionState(String participantId, String trackId, boolean paused, PauseCause reason)
            implements ConferenceEvent {
    }

    /**
     * Dynacast: which simulcast layers of its own track {@code trackId} this publisher is asked to send, by rid,
     * lowest first ({@code false}: no subscriber needs that layer now; the client sets the encoding inactive).
     */
    record PublicationLayers(String trackId, Map<String, Boolean> active) implements ConferenceEvent {
        public PublicationLayers {
            active = Collections.unmodifiableMap(new LinkedHashMap<>(active));
        }
    }

    /**
     * A room message for this participant that it cannot get on a data channel (it has no addressed channel open),
     * carried over signaling instead: from participant {@code from}, with its topic ({@code ""}: none), text (UTF-8)
     * or binary.
     */
    record DataReceived(String from, String topic, boolean text, byte[] payload) implements ConferenceEvent {
    }

    /** This participant was removed from the room (kicked, room closed, transport failed, grace expired). */
    record Removed(String reason) implements ConferenceEvent {
    }
}
