package org.sluice.core.conference;

import org.sluice.core.conference.speaker.ActiveSpeakerDetector;
import org.sluice.core.conference.speaker.AudioLevelMeter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceRoom.class);

    private final String name;
    private final Instant createdAt;
    private final int maxParticipants;
    private final Duration emptyTimeout;
    private final Map<String, ParticipantSession> participants = new LinkedHashMap<>();
    private final ActiveSpeakerDetector speakers = new ActiveSpeakerDetector();
    private ConferenceScheduler.Cancellable emptyTimer;
    /** A simulcast layer without packets for this long is not live (a keyframe-only trickle still counts). */
    static final long LAYER_TIMEOUT_NANOS = 1_500_000_000L;

    private ConferenceScheduler.Cancellable speakerTimer;
    /** The loudest active speaker's participant id, null while nobody speaks (room lock held). */
    private String leadingSpeaker;
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
        if (speakerTimer != null) {
            speakerTimer.cancel();
            speakerTimer = null;
        }
    }

    /** The loudest active speaker's participant id, null while nobody speaks (room lock held). */
    String leadingSpeaker() {
        return leadingSpeaker;
    }

    /** The next speaker evaluation (room lock held or taken here). */
    synchronized void speakerTimer(ConferenceScheduler.Cancellable timer) {
        speakerTimer = timer;
    }

    /**
     * Evaluates the active speakers from the participants' unmuted audio meters (room lock held) and tells
     * everyone when the list changed.
     */
    void evaluateSpeakers(long nowNanos) {
        Map<String, AudioLevelMeter> meters = new LinkedHashMap<>();
        for (ParticipantSession p : participants.values()) {
            for (PublishedTrack t : p.tracks().values()) {
                if (t.meter() != null && !t.isMuted()) {
                    meters.putIfAbsent(p.id(), t.meter());
                }
            }
        }
        List<Speaker> changed = speakers.update(meters, nowNanos);
        if (changed != null) {
            ConferenceEvent event = new ConferenceEvent.ActiveSpeakers(changed);
            String leader = changed.isEmpty() ? null : changed.get(0).participantId();
            leadingSpeaker = leader;
            for (ParticipantSession p : participants.values()) {
                p.tell(event);
                p.rankSubscriptions(leader); // the allocators serve the loudest speaker's video first
            }
        }
    }

    /**
     * Re-evaluates which simulcast layers are live (room lock held); when a track's set changed, every subscription
     * in the room is re-placed on its layer. Then every subscription's spatial and temporal limits are re-evaluated
     * from the rates its source is measured to deliver now.
     */
    void evaluateLayers(long nowNanos) {
        boolean changed = false;
        for (ParticipantSession p : participants.values()) {
            for (PublishedTrack t : p.tracks().values()) {
                changed |= t.updateLiveLayers(nowNanos, LAYER_TIMEOUT_NANOS);
            }
        }
        if (changed) {
            for (ParticipantSession p : participants.values()) {
                p.refreshSubscriptions();
            }
        }
        for (ParticipantSession p : participants.values()) {
            p.applyLayerLimits();
        }
    }

    /**
     * Re-evaluates which simulcast layers each publisher is asked to send (dynacast, room lock held, after
     * {@link #evaluateLayers}) and tells each publisher whose set changed. Returns the layers switched on or off.
     */
    int evaluateDynacast(long nowNanos) {
        int toggled = 0;
        for (ParticipantSession p : participants.values()) {
            for (PublishedTrack t : p.tracks().values()) {
                int changed = t.evaluateDynacast(nowNanos);
                if (changed > 0) {
                    toggled += changed;
                    LOG.info("dynacast: {} track {} now sends {} (subscribers' targets {})", p.id(), t.id(),
                            t.activeLayers(), t.dynacastTargets());
                    p.tell(new ConferenceEvent.PublicationLayers(t.id(), t.activeLayers()));
                }
            }
        }
        return toggled;
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
