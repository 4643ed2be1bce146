package org.sluice.core.conference;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One conference room: its participants in join order, its limits and its empty-room timer. The room object is the
 * lock for everything its participants change (membership, tracks, subscriptions, receive sections).
 */
final class ConferenceRoom {

    private final String name;
    private final Instant createdAt;
    private final int maxParticipants;
    private final Duration emptyTimeout;
    private final Map<String, ParticipantSession> participants = new LinkedHashMap<>();
    private ConferenceScheduler.Cancellable emptyTimer;
    private boolean closed;

    ConferenceRoom(String name, Instant createdAt, int maxParticipants, Duration emptyTimeout) {
        this.name = name;
        this.createdAt = createdAt;
        this.maxParticipants = maxParticipants;
        this.emptyTimeout = emptyTimeout;
    }

    String name() {
        return name;
    }

    int maxParticipants() {
        return maxParticipants;
    }

    Duration emptyTimeout() {
        return emptyTimeout;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void markClosed() {
        closed = true;
        cancelEmptyTimer();
    }

    /** Participants now (a copy; room lock held by the caller or taken here). */
    synchronized List<ParticipantSession> participants() {
        return new ArrayList<>(participants.values());
    }

    synchronized boolean isEmpty() {
        return participants.isEmpty();
    }

    /** Adds a participant (room lock held). */
    void add(ParticipantSession participant) {
        participants.put(participant.id(), participant);
        cancelEmptyTimer();
    }

    /** Removes a participant (room lock held); true if the room is empty now. */
    boolean remove(ParticipantSession participant) {
        participants.remove(participant.id(), participant);
        return participants.isEmpty();
    }

    int size() {
        return participants.size();
    }

    /** Tells everyone but {@code except} (room lock held). */
    void tellOthers(ParticipantSession except, ConferenceEvent event) {
        for (ParticipantSession p : participants.values()) {
            if (p != except) {
                p.tell(event);
            }
        }
    }

    synchronized void emptyTimer(ConferenceScheduler.Cancellable timer) {
        cancelEmptyTimer();
        emptyTimer = timer;
    }

    private void cancelEmptyTimer() {
        if (emptyTimer != null) {
            emptyTimer.cancel();
            emptyTimer = null;
        }
    }

    synchronized RoomInfo info() {
        int tracks = 0;
        for (ParticipantSession p : participants.values()) {
            tracks += p.trackCount();
        }
        return new RoomInfo(name, createdAt, participants.size(), tracks, maxParticipants);
    }
}
