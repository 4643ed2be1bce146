package org.sluice.core.conference;

import java.time.Duration;

/**
 * Engine-wide conferencing limits and timers.
 *
 * @param maxParticipants         participants per room unless the room says otherwise
 * @param maxTracksPerParticipant tracks one participant may publish at once
 * @param reconnectGrace          how long a participant whose signaling dropped keeps its place
 * @param emptyRoomTimeout        how long a room with nobody in it stays open
 * @param speakerInterval         how often active speakers are evaluated
 */
public record ConferenceSettings(int maxParticipants, int maxTracksPerParticipant, Duration reconnectGrace,
                                 Duration emptyRoomTimeout, Duration speakerInterval) {

    public static final ConferenceSettings DEFAULTS = new ConferenceSettings(100, 8, Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofMillis(300));

    public ConferenceSettings {
        if (maxParticipants < 1 || maxTracksPerParticipant < 1 || reconnectGrace.isNegative()
                || emptyRoomTimeout.isNegative() || speakerInterval.isZero() || speakerInterval.isNegative()) {
            throw new IllegalArgumentException("conference limits must be positive and timers non-negative");
        }
    }
}
