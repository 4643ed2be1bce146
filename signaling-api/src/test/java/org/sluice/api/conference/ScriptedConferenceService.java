package org.sluice.api.conference;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.JoinRequest;
import org.sluice.core.conference.NegotiationResult;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.ParticipantInfo;
import org.sluice.core.conference.ParticipantListener;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.RoomInfo;
import org.sluice.core.conference.RoomOptions;
import org.sluice.core.conference.SubscriptionPreferences;
import org.sluice.core.conference.TrackPublication;
import org.sluice.core.datachannel.DataEnvelope;
import org.sluice.core.datachannel.RoomDataRelay;

/**
 * A recording {@link ConferenceService} for tests: joins make participants {@code p1}, {@code p2}, ... whose calls are
 * recorded as text lines in {@link #calls}; a test can make the next call fail, hold offers, and send events to a
 * participant's current listener.
 */
final class ScriptedConferenceService implements ConferenceService {

    /** Every engine call, e.g. {@code join room=lobby name=Ann pub=true sub=true auto=true meta={"a":1}}. */
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
    final Map<String, ScriptedParticipant> participants = new ConcurrentHashMap<>();
    final List<ParticipantInfo> others = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Thrown by the next engine call (a ConferenceException or RuntimeException), then cleared. */
    volatile Exception nextFailure;
    /** What {@code sendData} returns. */
    volatile RoomDataRelay.Outcome dataOutcome = RoomDataRelay.Outcome.ROUTED;
    /** When set, sent to the joining participant's listener inside {@code join}, before it returns. */
    volatile org.sluice.core.conference.ConferenceEvent eventDuringJoin;
    /** When set, joins wait for it. */
    volatile CountDownLatch joinGate;
    /** When set, offers wait for it. */
    volatile CountDownLatch offerGate;

    @Override
    public Participant join(JoinRequest request, ParticipantListener listener) throws ConferenceException {
        calls.add("join room=" + request.room() + " name=" + request.name() + " pub=" + request.canPublish()
                + " sub=" + request.canSubscribe() + " auto=" + request.autoSubscribe() + " meta=" + request.metadata());
        await(joinGate);
        failIfScripted();
        String id = "p" + ids.incrementAndGet();
        ScriptedParticipant participant = new ScriptedParticipant(id, request.room(), request.name(),
                request.metadata(), listener);
        participants.put(id, participant);
        if (eventDuringJoin != null) {
            listener.onEvent(eventDuringJoin);
            try {
                Thread.sleep(50); // let the event reach the socket's context before the join completes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return participant;
    }

    @Override
    public Participant resume(String participantId, String resumeToken, ParticipantListener listener)
            throws ConferenceException {
        calls.add("resume " + participantId);
        failIfScripted();
        ScriptedParticipant participant = participants.get(participantId);
        if (participant == null || !participant.resumeToken().equals(resumeToken) || participant.left) {
            throw new ConferenceException(ConferenceException.Code.RESUME_FAILED, "cannot resume");
        }
        participant.listener = listener;
        participant.detached = false;
        return participant;
    }

    /** The participant's current listener. */
    ParticipantListener listener(String participantId) {
        return participants.get(participantId).listener;
    }

    String nextCall() throws InterruptedException {
        String call = calls.poll(5, TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("no engine call within 5 s");
        }
        return call;
    }

    /** The next call starting with {@code prefix}, skipping others (e.g. detaches of earlier tests' sockets). */
    String nextCallStartingWith(String prefix) throws InterruptedException {
        while (true) {
            String call = nextCall();
            if (call.startsWith(prefix)) {
                return call;
            }
        }
    }

    private static void await(CountDownLatch gate) {
        if (gate == null) {
            return;
        }
        try {
            gate.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failIfScripted() throws ConferenceException {
        Exception failure = nextFailure;
        if (failure == null) {
            return;
        }
        nextFailure = null;
        if (failure instanceof ConferenceException refused) {
            throw refused;
        }
        throw (RuntimeException) failure;
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
    public RoomInfo createRoom(String name, RoomOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean closeRoom(String name) {
        return false;
    }

    @Override
    public List<ParticipantStats> participants(String room) {
        return List.of();
    }

    @Override
    public boolean removeParticipant(String room, String participantId) {
        return false;
    }

    /** A participant recording its calls into the service's {@link #calls}. */
    final class ScriptedParticipant implements Participant {

        private final String id;
        private final String room;
        private final String name;
        private final String metadata;
        volatile ParticipantListener listener;
        volatile boolean detached;
        volatile boolean left;

        ScriptedParticipant(String id, String room, String name, String metadata, ParticipantListener listener) {
            this.id = id;
            this.room = room;
            this.name = name;
            this.metadata = metadata;
            this.listener = listener;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String room() {
            return room;
        }

        @Override
        public String resumeToken() {
            return "token-" + id;
        }

        @Override
        public ParticipantInfo info() {
            return new ParticipantInfo(id, name, metadata, List.of());
        }

        @Override
        public List<ParticipantInfo> others() {
            return List.copyOf(others);
        }

        @Override
        public NegotiationResult offer(String sdp, List<TrackPublication> publications) throws ConferenceException {
            calls.add("offer " + id + " sdp=" + sdp + " publish=" + publications);
            await(offerGate);
            failIfScripted();
            List<NegotiationResult.Published> published = new ArrayList<>();
            for (TrackPublication publication : publications) {
                published.add(new NegotiationResult.Published(publication.mid(), "t-" + publication.mid()));
            }
            return new NegotiationResult("answer-to:" + sdp, published,
                    List.of(new NegotiationResult.Receiving("9", "remote-track", "p-remote")));
        }

        @Override
        public void unpublish(String trackId) throws ConferenceException {
            calls.add("unpublish " + id + " " + trackId);
            failIfScripted();
        }

        @Override
        public void setMuted(String trackId, boolean muted) throws ConferenceException {
            calls.add("mute " + id + " " + trackId + " " + muted);
            failIfScripted();
        }

        @Override
        public void subscribe(Collection<String> trackIds) throws ConferenceException {
            calls.add("subscribe " + id + " " + trackIds);
            failIfScripted();
        }

        @Override
        public void unsubscribe(Collection<String> trackIds) throws ConferenceException {
            calls.add("unsubscribe " + id + " " + trackIds);
            failIfScripted();
        }

        @Override
        public void setPreferences(String trackId, SubscriptionPreferences preferences) throws ConferenceException {
            calls.add("preferences " + id + " " + trackId + " " + preferences);
            failIfScripted();
        }

        @Override
        public void update(String newName, String newMetadata) throws ConferenceException {
            calls.add("update " + id + " name=" + newName + " meta=" + newMetadata);
            failIfScripted();
        }

        @Override
        public RoomDataRelay.Outcome sendData(DataEnvelope message, boolean reliable) throws ConferenceException {
            calls.add("data " + id + " to=" + message.participants() + " topic=" + message.topic() + " text="
                    + message.text() + " reliable=" + reliable + " payload="
                    + new String(message.payload(), java.nio.charset.StandardCharsets.ISO_8859_1));
            failIfScripted();
            return dataOutcome;
        }

        @Override
        public void followTopics(Collection<String> topics) throws ConferenceException {
            calls.add("topics " + id + " " + topics);
            failIfScripted();
        }

        @Override
        public void detach() {
            calls.add("detach " + id);
            detached = true;
        }

        @Override
        public void answerApplied() {
            calls.add("answered " + id);
        }

        @Override
        public void leave() {
            calls.add("leave " + id);
            left = true;
        }

        @Override
        public boolean isClosed() {
            return left;
        }
    }
}
