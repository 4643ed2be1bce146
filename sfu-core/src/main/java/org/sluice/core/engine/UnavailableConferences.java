package org.sluice.core.engine;

import java.util.List;
import java.util.Optional;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.JoinRequest;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantListener;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.RoomInfo;
import org.sluice.core.conference.RoomOptions;

/** A conference service that has no rooms and admits nobody (placeholder until rooms are wired in). */
enum UnavailableConferences implements ConferenceService {
    INSTANCE;

    private static ConferenceException unavailable() {
        return new ConferenceException(ConferenceException.Code.UNAVAILABLE, "conferencing is not available");
    }

    @Override
    public Participant join(JoinRequest request, ParticipantListener listener) throws ConferenceException {
        throw unavailable();
    }

    @Override
    public Participant resume(String participantId, String resumeToken, ParticipantListener listener)
            throws ConferenceException {
        throw new ConferenceException(ConferenceException.Code.RESUME_FAILED, "no such participant");
    }

    @Override
    public List<RoomInfo> rooms() {
        return List.of();
    }

    @Override
    public Optional<RoomInfo> room(String name) {
        return Optional.empty();
    }

    @Override
    public RoomInfo createRoom(String name, RoomOptions options) throws ConferenceException {
        throw unavailable();
    }

    @Override
    public boolean closeRoom(String name) {
        return false;
    }

    @Override
    public List<ParticipantStats> participants(String room) throws ConferenceException {
        throw new ConferenceException(ConferenceException.Code.UNKNOWN_ROOM, "no room " + room);
    }

    @Override
    public boolean removeParticipant(String room, String participantId) {
        return false;
    }
}
