package org.sluice.core.conference;

import org.sluice.core.datachannel.DataEnvelope;
import org.sluice.core.datachannel.RoomDataRelay;

import java.util.Collection;
import java.util.List;

/**
 * A joined participant, as its signaling connection drives it. Thread-safe; calls for one participant are
 * expected in the order its client sent them.
 */
public interface Participant {

    String id();

    String room();

    /** The secret a reconnecting client presents to {@link ConferenceService#resume}. */
    String resumeToken();

    /** Itself, as others see it. */
    ParticipantInfo info();

    /** The other participants in the room now, with their tracks. */
    List<ParticipantInfo> others();

    /**
     * Answers the participant's offer. The first offer creates its transport; later ones renegotiate it (new ICE
     * credentials in an offer restart ICE). {@code publications} describe the offer's sending sections: a sending
     * section not yet published becomes a new track (others are told), a published one keeps its track, and a
     * published track whose section no longer sends is unpublished.
     *
     * @throws ConferenceException {@code BAD_OFFER}, {@code NOT_ALLOWED}, {@code TOO_MANY_TRACKS}, {@code INVALID}
     *                             (a publication names a mid that does not send), {@code CLOSED}
     */
    NegotiationResult offer(String sdp, List<TrackPublication> publications) throws ConferenceException;

    /**
     * The client applied the answers it was given so far (its {@code setRemoteDescription} resolved). Tracks that
     * an answer mapped onto receive sections are forwarded only from then on, or from
     * {@link ParticipantSession#ANSWER_HOLD} after the answer for a client that never says so.
     */
    void answerApplied();

    /** Stops a published track now; the client removes its section in its next offer. */
    void unpublish(String trackId) throws ConferenceException;

    /** Mutes or unmutes a published track (a muted track is not forwarded). */
    void setMuted(String trackId, boolean muted) throws ConferenceException;

    /** Starts receiving these tracks (a {@link ConferenceEvent.RenegotiationNeeded} follows). */
    void subscribe(Collection<String> trackIds) throws ConferenceException;

    /** Stops receiving these tracks. */
    void unsubscribe(Collection<String> trackIds) throws ConferenceException;

    /** Sets how one received track is forwarded. */
    void setPreferences(String trackId, SubscriptionPreferences preferences) throws ConferenceException;

    /** Changes the display name and/or metadata ({@code null}: unchanged); others get a participant update. */
    void update(String name, String metadata) throws ConferenceException;

    /**
     * Sends a room message over signaling, as one sent on an addressed data channel: to the named participants, or
     * else to the followers of its topic, or else to the whole room; {@code reliable} picks the kind of channel the
     * recipients get it on. The fallback for clients without data channels.
     *
     * @throws ConferenceException {@code CLOSED}
     */
    RoomDataRelay.Outcome sendData(DataEnvelope message, boolean reliable) throws ConferenceException;

    /**
     * The topics whose room messages this participant gets ({@code null}: all, the default); messages without a
     * topic and messages naming it come regardless.
     *
     * @throws ConferenceException {@code CLOSED}
     */
    void followTopics(Collection<String> topics) throws ConferenceException;

    /** Signaling dropped: media continues for the grace period, then the participant is removed. */
    void detach();

    /** Leaves the room: transport closed, others told. Idempotent. */
    void leave();

    boolean isClosed();
}
