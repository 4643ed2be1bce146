package org.sluice.core.conference;

import java.time.Instant;

/**
 * An open room.
 *
 * @param name            its name
 * @param createdAt       when it opened
 * @param participants    participants in it now
 * @param tracks          tracks published in it now
 * @param maxParticipants its participant limit
 */
public record RoomInfo(String name, Instant createdAt, int participants, int tracks, int maxParticipants) {
}
