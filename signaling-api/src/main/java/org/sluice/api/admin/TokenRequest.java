package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.sluice.api.auth.Grant;

/**
 * The body of {@code POST /api/tokens}: {@code {room, name?, publish?, subscribe?, admin?, ttlSeconds?}}.
 *
 * @param name display name for the {@code name} claim, or {@code null}
 */
record TokenRequest(Grant grant, String name, Duration ttl) {

    static final long DEFAULT_TTL_SECONDS = 3600;
    static final long MAX_TTL_SECONDS = 86_400;
    static final int MAX_NAME_LENGTH = 128;

    static Validated<TokenRequest> parse(JsonObject body) {
        Validated<String> room = JsonFields.roomName(body, "room", true);
        Validated<String> name = JsonFields.text(body, "name", MAX_NAME_LENGTH);
        Validated<Boolean> publish = JsonFields.flag(body, "publish");
        Validated<Boolean> subscribe = JsonFields.flag(body, "subscribe");
        Validated<Boolean> admin = JsonFields.flag(body, "admin");
        Validated<Long> ttl = JsonFields.integer(body, "ttlSeconds", 1, MAX_TTL_SECONDS, DEFAULT_TTL_SECONDS);
        for (Validated<?> field : new Validated<?>[] {room, name, publish, subscribe, admin, ttl}) {
            if (!field.isValid()) {
                return Validated.invalid(field.invalidReason());
            }
        }
        Grant grant = new Grant(room.value(), publish.value(), subscribe.value(), admin.value());
        return Validated.ok(new TokenRequest(grant, name.value(), Duration.ofSeconds(ttl.value())));
    }
}
