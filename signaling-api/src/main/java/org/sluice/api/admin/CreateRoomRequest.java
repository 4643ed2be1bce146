package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.sluice.core.conference.RoomOptions;

/** The body of {@code POST /api/rooms}: {@code {name, maxParticipants?, emptyTimeoutSeconds?}}. */
record CreateRoomRequest(String name, RoomOptions options) {

    static final long MAX_PARTICIPANTS = 10_000;
    static final long MAX_EMPTY_TIMEOUT_SECONDS = 86_400;

    static Validated<CreateRoomRequest> parse(JsonObject body) {
        Validated<String> name = JsonFields.roomName(body, "name", false);
        if (!name.isValid()) {
            return Validated.invalid(name.invalidReason());
        }
        Validated<Long> max = JsonFields.integer(body, "maxParticipants", 1, MAX_PARTICIPANTS, 0);
        if (!max.isValid()) {
            return Validated.invalid(max.invalidReason());
        }
        Validated<Long> timeout = JsonFields.integer(body, "emptyTimeoutSeconds", 1, MAX_EMPTY_TIMEOUT_SECONDS, 0);
        if (!timeout.isValid()) {
            return Validated.invalid(timeout.invalidReason());
        }
        Duration emptyTimeout = timeout.value() == 0 ? null : Duration.ofSeconds(timeout.value());
        return Validated.ok(new CreateRoomRequest(name.value(),
                new RoomOptions(max.value().intValue(), emptyTimeout)));
    }
}
