package org.sluice.core.conference;

import java.time.Duration;

/**
 * Per-room settings an operator may give when creating a room; zero or {@code null} means the engine default.
 *
 * @param maxParticipants  participants allowed at once
 * @param emptyTimeout     how long the room stays open with nobody in it
 */
public record RoomOptions(int maxParticipants, Duration emptyTimeout) {

    /** Engine defaults. */
    public static final RoomOptions DEFAULTS = new RoomOptions(0, null);
}
