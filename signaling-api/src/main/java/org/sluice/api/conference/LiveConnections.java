package org.sluice.api.conference;

import java.util.HashMap;
import java.util.Map;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantListener;

/**
 * Which open connection drives each participant. A resumption and a dropped connection's detach are
 * serialised here, so an old socket closing late never detaches a participant that a new socket has resumed.
 * Engine calls made under this lock do not block (the engine's contract) and never call back into it.
 */
final class LiveConnections {

    private final Map<String, ConferenceConnection> byParticipant = new HashMap<>();

    /** The outcome of a resumption: the participant and the connection that drove it before, if any. */
    record Resumed(Participant participant, ConferenceConnection previous) {
    }

    /** Records a freshly joined participant's connection. */
    synchronized void joined(String participantId, ConferenceConnection connection) {
        byParticipant.put(participantId, connection);
    }

    /** Resumes the participant for {@code connection}; the previous connection is to be closed with 4409. */
    synchronized Resumed resume(ConferenceService conferences, String participantId, String resumeToken,
            ParticipantListener listener, ConferenceConnection connection) throws ConferenceException {
        Participant participant = conferences.resume(participantId, resumeToken, listener);
        ConferenceConnection previous = byParticipant.put(participant.id(), connection);
        return new Resumed(participant, previous == connection ? null : previous);
    }

    /** Detaches the participant if {@code connection} still drives it; false if another one took over. */
    synchronized boolean detachIfCurrent(Participant participant, ConferenceConnection connection) {
        if (byParticipant.get(participant.id()) != connection) {
            return false;
        }
        byParticipant.remove(participant.id());
        participant.detach();
        return true;
    }

    /** Forgets {@code connection} (the participant left or was removed). */
    synchronized void remove(String participantId, ConferenceConnection connection) {
        byParticipant.remove(participantId, connection);
    }

    synchronized int size() {
        return byParticipant.size();
    }
}
