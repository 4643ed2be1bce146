package org.sluice.core.conference;

import java.util.Objects;

/**
 * A participant asking to join.
 *
 * @param room          room name (1–128 characters, no control characters)
 * @param name          display name (may be empty)
 * @param metadata      opaque application data, JSON text as the client sent it, or {@code null}
 * @param autoSubscribe whether the participant receives every track published in the room without asking
 * @param canPublish    whether its token allows publishing
 * @param canSubscribe  whether its token allows receiving
 */
public record JoinRequest(String room, String name, String metadata, boolean autoSubscribe, boolean canPublish,
                          boolean canSubscribe) {

    public JoinRequest {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(name, "name");
    }
}
