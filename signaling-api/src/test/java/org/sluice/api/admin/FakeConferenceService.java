package org.sluice.api.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.JoinRequest;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantListener;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.RoomInfo;
import org.sluice.core.conference.RoomOptions;

/**
 * An in-memory {@link ConferenceService} for the admin API tests: rooms and their participants' stats as the test
 * puts them, the options of each created room, and the names of the threads that called it.
 */
final class FakeConferenceService implements ConferenceService {

    static final int DEFAULT_MAX_PARTICIPANTS = 100;

    private final Instant now;
    private final Map<String, RoomInfo> rooms = new LinkedHashMap<>();
    private final Map<String, List<ParticipantStats>> participants = new LinkedHashMap<>();
    final List<RoomOptions> createdWith = new CopyOnWriteArrayList<>();
    final List<String> callingThreads = new CopyOnWriteArrayList<>();
    private ConferenceException refusal;

    FakeConferenceService(Instant now) {
        this.now = now;
    }

    /** Puts a room with these participants. */
    synchronized void put(String room, List<ParticipantStats> members) {
        int tracks = members.stream().mapToInt(p -> p.info().tracks().size()).sum();
        rooms.put(room, new RoomInfo(room, now, members.size(), tracks, DEFAULT_MAX_PARTICIPANTS));
        participants.put(room, new ArrayList<>(members));
    }

    /** The next createRoom fails with this. */
    synchronized void refuseNextCreate(ConferenceException refusal) {
        this.refusal = refusal;
    }

    synchronized void clear() {
        rooms.clear();
        participants.clear();
        createdWith.clear();
        callingThreads.clear();
        refusal = null;
    }

    private void called() {
        callingThreads.add(Thread.currentThread().getName());
    }

    @Override
    public Participant join(JoinRequest request, ParticipantListener listener) {
        throw new UnsupportedOperationException("not used by the admin API");
    }

    @Override
    public Participant resume(String participantId, String resumeToken, ParticipantListener listener) {
        throw new UnsupportedOperationException("not used by the admin API");
    }

    @Override
    public synchronized List<RoomInfo> rooms() {
        called();
        return List.copyOf(rooms.values());
    }

    @Override
    public synchronized Optional<RoomInfo> room(String name) {
        called();
        return Optional.ofNullable(rooms.get(name));
    }

    @Override
    public synchronized RoomInfo createRoom(String name, RoomOptions options) throws ConferenceException {
        called();
        if (refusal != null) {
            ConferenceException thrown = refusal;
            refusal = null;
            throw thrown;
        }
        if (rooms.containsKey(name)) {
            throw new ConferenceException(ConferenceException.Code.ROOM_EXISTS, "room " + name + " is already open");
        }
        createdWith.add(options);
        int max = options.maxParticipants() == 0 ? DEFAULT_MAX_PARTICIPANTS : options.maxParticipants();
        RoomInfo room = new RoomInfo(name, now, 0, 0, max);
        rooms.put(name, room);
        participants.put(name, new ArrayList<>());
        return room;
    }

    @Override
    public synchronized boolean closeRoom(String name) {
        called();
        participants.remove(name);
        return rooms.remove(name) != null;
    }

    @Override
    public synchronized List<ParticipantStats> participants(String room) throws ConferenceException {
        called();
        List<ParticipantStats> members = participants.get(room);
        if (members == null) {
            throw new ConferenceException(ConferenceException.Code.UNKNOWN_ROOM, "no such room");
        }
        return List.copyOf(members);
    }

    @Override
    public synchronized boolean removeParticipant(String room, String participantId) {
        called();
        List<ParticipantStats> members = participants.get(room);
        return members != null && members.removeIf(p -> p.info().id().equals(participantId));
    }
}
