package org.sluice.core.conference;

import org.sluice.core.conference.ConferenceException.Code;
import org.sluice.core.transport.MediaTransport;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The engine's {@link ConferenceService}: rooms by name, participants by id, joins, resumes and the operator's
 * room and participant administration. Rooms are created and removed under this object's lock; everything inside a
 * room under the room's.
 */
public final class Conferences implements ConferenceService {

    /** Hears what the engine's metrics count. */
    public interface Observer {
        /** A participant's transport connected {@code nanosSinceJoin} after it joined. */
        void connected(long nanosSinceJoin);

        /**
         * A participant ended with these final counters; {@code leaveLiveSet} takes it out of the live sums
         * ({@link #packetsForwarded()} ...) and must be run, under the same lock as the observer's sums so no sum
         * counts it twice or not at all.
         */
        default void retire(long packetsOut, long octetsOut, long nacksReceived, Runnable leaveLiveSet) {
            leaveLiveSet.run();
        }

        /** Dynacast switched {@code count} simulcast layers on or off at their publishers. */
        default void layersToggled(int count) {
        }
    }

    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");
    private static final int MAX_NAME = 128;
    private static final int MAX_METADATA = 4096;

    private final ConferenceContext context;
    private final BooleanSupplier available;
    private final Map<String, ConferenceRoom> rooms = new ConcurrentHashMap<>();
    private final Map<String, ParticipantSession> participants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param context   the engine parts conferences use
     * @param available false while the engine drains or after it closed: joins and room creation are refused
     */
    public Conferences(ConferenceContext context, BooleanSupplier available) {
        this.context = context;
        this.available = available;
    }

    @Override
    public Participant join(JoinRequest request, ParticipantListener listener) throws ConferenceException {
        refuseWhenUnavailable();
        checkRoomName(request.room());
        checkName(request.name());
        checkMetadata(request.metadata());
        while (true) {
            ConferenceRoom room;
            synchronized (this) {
                room = rooms.computeIfAbsent(request.room(), n -> newRoom(n, RoomOptions.DEFAULTS));
            }
            synchronized (room) {
                if (room.isClosed()) {
                    continue; // closed meanwhile: open a fresh one
                }
                if (room.size() >= room.maxParticipants()) {
                    throw new ConferenceException(Code.ROOM_FULL, "the room is full");
                }
                ParticipantSession p = new ParticipantSession(this, context, room, newId("PA", 12), newId("", 24),
                        request, listener);
                participants.put(p.id(), p);
                room.add(p);
                p.joinMessaging();
                room.tellOthers(p, new ConferenceEvent.ParticipantJoined(p.info()));
                if (request.autoSubscribe() && request.canSubscribe()) {
                    for (ParticipantSession other : room.participants()) {
                        if (other != p) {
                            for (PublishedTrack track : other.tracks().values()) {
                                p.addSubscription(track);
                            }
                        }
                    }
                    p.askForOffer();
                }
                return p;
            }
        }
    }

    @Override
    public Participant resume(String participantId, String resumeToken, ParticipantListener listener)
            throws ConferenceException {
        ParticipantSession p = participantId == null ? null : participants.get(participantId);
        if (p == null || !p.resume(resumeToken, listener)) {
            throw new ConferenceException(Code.RESUME_FAILED, "no detached participant with that id and token");
        }
        return p;
    }

    @Override
    public List<RoomInfo> rooms() {
        List<RoomInfo> out = new ArrayList<>();
        for (ConferenceRoom room : rooms.values()) {
            out.add(room.info());
        }
        return out;
    }

    @Override
    public Optional<RoomInfo> room(String name) {
        ConferenceRoom room = name == null ? null : rooms.get(name);
        return room == null ? Optional.empty() : Optional.of(room.info());
    }

    @Override
    public RoomInfo createRoom(String name, RoomOptions options) throws ConferenceException {
        refuseWhenUnavailable();
        checkRoomName(name);
        RoomOptions given = options == null ? RoomOptions.DEFAULTS : options;
        if (given.maxParticipants() < 0 || (given.emptyTimeout() != null && given.emptyTimeout().isNegative())) {
            throw new ConferenceException(Code.INVALID, "room limits must not be negative");
        }
        synchronized (this) {
            if (rooms.containsKey(name)) {
                throw new ConferenceException(Code.ROOM_EXISTS, "room " + name + " is already open");
            }
            ConferenceRoom room = newRoom(name, given);
            rooms.put(name, room);
            scheduleEmptyClose(room);
            return room.info();
        }
    }

    @Override
    public boolean closeRoom(String name) {
        return closeRoom(name, "room closed");
    }

    private boolean closeRoom(String name, String reason) {
        ConferenceRoom room;
        synchronized (this) {
            room = name == null ? null : rooms.remove(name);
        }
        if (room == null) {
            return false;
        }
        List<MediaTransport> closing = new ArrayList<>();
        List<ParticipantSession> ended = new ArrayList<>();
        synchronized (room) {
            room.markClosed();
            for (ParticipantSession p : room.participants()) {
                endLocked(p, reason, true, closing, ended);
            }
        }
        retire(ended);
        closeAll(closing);
        return true;
    }

    @Override
    public List<ParticipantStats> participants(String room) throws ConferenceException {
        ConferenceRoom r = room == null ? null : rooms.get(room);
        if (r == null) {
            throw new ConferenceException(Code.UNKNOWN_ROOM, "no room " + room);
        }
        List<ParticipantStats> out = new ArrayList<>();
        for (ParticipantSession p : r.participants()) {
            out.add(p.stats());
        }
        return out;
    }

    @Override
    public boolean removeParticipant(String room, String participantId) {
        ParticipantSession p = participantId == null ? null : participants.get(participantId);
        if (p == null || !p.room().equals(room)) {
            return false;
        }
        return remove(p, "removed", true);
    }

    /** Removes every participant ({@code Removed("server shutting down")}) and closes every room. */
    public void closeAll() {
        for (String name : List.copyOf(rooms.keySet())) {
            closeRoom(name, "server shutting down");
        }
    }

    /** Participants in every room now. */
    public int participantCount() {
        int n = 0;
        for (ParticipantSession p : participants.values()) {
            if (!p.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /** Open rooms. */
    public int roomCount() {
        return rooms.size();
    }

    /** Tracks published in every room now. */
    public int trackCount() {
        int n = 0;
        for (ConferenceRoom room : rooms.values()) {
            n += room.info().tracks();
        }
        return n;
    }

    /** RTP packets forwarded to live participants (racy sum of loop counters). */
    public long packetsForwarded() {
        long n = 0;
        for (ParticipantSession p : participants.values()) {
            n += p.packetsOut();
        }
        return n;
    }

    /** RTP payload octets forwarded to live participants. */
    public long octetsForwarded() {
        long n = 0;
        for (ParticipantSession p : participants.values()) {
            n += p.octetsOut();
        }
        return n;
    }

    /** RTCP NACKs live participants sent (not served yet). */
    public long nacksReceived() {
        long n = 0;
        for (ParticipantSession p : participants.values()) {
            n += p.nacksReceived();
        }
        return n;
    }

    /** Removes {@code p} if it is still there; true if this call removed it. */
    boolean remove(ParticipantSession p, String reason, boolean tellSelf) {
        List<MediaTransport> closing = new ArrayList<>();
        List<ParticipantSession> ended = new ArrayList<>();
        ConferenceRoom room = p.conferenceRoom();
        boolean removed;
        synchronized (room) {
            removed = endLocked(p, reason, tellSelf, closing, ended);
            if (removed && room.isEmpty() && !room.isClosed()) {
                scheduleEmptyClose(room);
            }
        }
        retire(ended);
        closeAll(closing);
        return removed;
    }

    private static boolean endLocked(ParticipantSession p, String reason, boolean tellSelf,
                                     List<MediaTransport> closing, List<ParticipantSession> ended) {
        if (p.isClosed()) {
            return false;
        }
        MediaTransport t = p.end(reason, tellSelf);
        ended.add(p);
        if (t != null) {
            closing.add(t);
        }
        return true;
    }

    /** Ended participants leave the live set, their final counters moving to the observer (no room lock held). */
    private void retire(List<ParticipantSession> ended) {
        for (ParticipantSession p : ended) {
            context.listener().retire(p.packetsOut(), p.octetsOut(), p.nacksReceived(),
                    () -> participants.remove(p.id(), p));
        }
    }

    private static void closeAll(List<MediaTransport> closing) {
        for (MediaTransport t : closing) {
            t.close("participant left");
        }
    }

    private void scheduleEmptyClose(ConferenceRoom room) {
        room.emptyTimer(context.scheduler().schedule(() -> closeIfEmpty(room), room.emptyTimeout()));
    }

    private void closeIfEmpty(ConferenceRoom room) {
        synchronized (this) {
            synchronized (room) {
                if (!room.isEmpty() || room.isClosed()) {
                    return;
                }
                room.markClosed();
                rooms.remove(room.name(), room);
            }
        }
    }

    private ConferenceRoom newRoom(String name, RoomOptions options) {
        int max = options.maxParticipants() > 0 ? options.maxParticipants() : context.settings().maxParticipants();
        Duration empty = options.emptyTimeout() != null ? options.emptyTimeout()
                : context.settings().emptyRoomTimeout();
        ConferenceRoom room = new ConferenceRoom(name, context.wallClock().instant(), max, empty);
        scheduleSpeakers(room);
        return room;
    }

    /** Evaluates the room's active speakers and live simulcast layers every speaker interval until it closes. */
    private void scheduleSpeakers(ConferenceRoom room) {
        room.speakerTimer(context.scheduler().schedule(() -> {
            synchronized (room) {
                if (room.isClosed()) {
                    return;
                }
                long now = context.nanoClock().getAsLong();
                room.evaluateSpeakers(now);
                room.evaluateLayers(now);
                int toggled = room.evaluateDynacast(now);
                if (toggled > 0) {
                    context.listener().layersToggled(toggled);
                }
                scheduleSpeakers(room);
            }
        }, context.settings().speakerInterval()));
    }

    private void refuseWhenUnavailable() throws ConferenceException {
        if (!available.getAsBoolean()) {
            throw new ConferenceException(Code.UNAVAILABLE, "the server is not admitting participants");
        }
    }

    private static void checkRoomName(String name) throws ConferenceException {
        if (name == null || !ROOM_NAME.matcher(name).matches()) {
            throw new ConferenceException(Code.INVALID, "room names are 1-128 of A-Z a-z 0-9 _ . ~ -");
        }
    }

    static void checkName(String name) throws ConferenceException {
        if (name != null && name.length() > MAX_NAME) {
            throw new ConferenceException(Code.INVALID, "the display name is longer than 128 characters");
        }
    }

    static void checkMetadata(String metadata) throws ConferenceException {
        if (metadata != null && metadata.length() > MAX_METADATA) {
            throw new ConferenceException(Code.INVALID, "metadata is longer than 4096 characters");
        }
    }

    private String newId(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
