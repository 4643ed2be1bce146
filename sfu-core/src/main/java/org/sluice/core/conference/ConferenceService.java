package org.sluice.core.conference;

import java.util.List;
import java.util.Optional;

/**
 * What the conferencing signaling (WebSocket protocol, admin REST) asks of the engine. Thread-safe; no method
 * blocks on the network. Listeners passed in are called from engine threads and must not block.
 */
public interface ConferenceService {

    /**
     * Joins {@code request.room()}, creating it if it does not exist. The new participant's peers are told
     * ({@link ConferenceEvent.ParticipantJoined}); the handle's {@link Participant#others()} is the room as the
     * participant found it.
     *
     * @throws ConferenceException {@code ROOM_FULL}, {@code UNAVAILABLE} (draining), {@code INVALID}
     */
    Participant join(JoinRequest request, ParticipantListener listener) throws ConferenceException;

    /**
     * Re-attaches signaling to a participant whose signaling dropped ({@link Participant#detach()}) while its grace
     * period runs: media kept flowing meanwhile; events from now on go to {@code listener}.
     *
     * @throws ConferenceException {@code RESUME_FAILED} if the id is unknown, the token wrong or the grace expired
     */
    Participant resume(String participantId, String resumeToken, ParticipantListener listener)
            throws ConferenceException;

    /** The open rooms. */
    List<RoomInfo> rooms();

    /** One open room. */
    Optional<RoomInfo> room(String name);

    /**
     * Opens an empty room ahead of its participants (it closes again after the empty-room timeout).
     *
     * @throws ConferenceException {@code ROOM_EXISTS}, {@code INVALID}, {@code UNAVAILABLE}
     */
    RoomInfo createRoom(String name, RoomOptions options) throws ConferenceException;

    /** Closes a room: every participant is removed ({@link ConferenceEvent.Removed}). False if there was none. */
    boolean closeRoom(String name);

    /**
     * The participants of a room with their live counters.
     *
     * @throws ConferenceException {@code UNKNOWN_ROOM}
     */
    List<ParticipantStats> participants(String room) throws ConferenceException;

    /** Removes a participant (the others are told). False if there was none. */
    boolean removeParticipant(String room, String participantId);
}
