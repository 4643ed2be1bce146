package org.sluice.api.admin;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Typed, bounded reads of optional fields from a request's JSON object; a wrong type is a reason, not an exception. */
final class JsonFields {

    /** Room names and participant ids: the same rule as WHIP/WHEP and the WebSocket protocol. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");

    private JsonFields() {
    }

    /** The integer at {@code key} in [{@code min}, {@code max}], {@code fallback} when absent. */
    static Validated<Long> integer(JsonObject body, String key, long min, long max, long fallback) {
        Object value = body.getValue(key);
        if (value == null) {
            return Validated.ok(fallback);
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            return Validated.invalid(key + " must be an integer");
        }
        long number = ((Number) value).longValue();
        if (number < min || number > max) {
            return Validated.invalid(key + " must be between " + min + " and " + max);
        }
        return Validated.ok(number);
    }

    /** The boolean at {@code key}, false when absent. */
    static Validated<Boolean> flag(JsonObject body, String key) {
        Object value = body.getValue(key);
        if (value == null) {
            return Validated.ok(false);
        }
        if (!(value instanceof Boolean flag)) {
            return Validated.invalid(key + " must be a boolean");
        }
        return Validated.ok(flag);
    }

    /** The string at {@code key} of 1 to {@code maxLength} characters, {@code null} when absent. */
    static Validated<String> text(JsonObject body, String key, int maxLength) {
        Object value = body.getValue(key);
        if (value == null) {
            return Validated.ok(null);
        }
        if (!(value instanceof String text) || text.isEmpty() || text.length() > maxLength) {
            return Validated.invalid(key + " must be a string of 1 to " + maxLength + " characters");
        }
        return Validated.ok(text);
    }

    /** The room name at {@code key}: required, {@code [A-Za-z0-9_.~-]{1,128}}, or {@code "*"} if allowed. */
    static Validated<String> roomName(JsonObject body, String key, boolean wildcardAllowed) {
        Object value = body.getValue(key);
        if (value instanceof String name && (NAME.matcher(name).matches() || (wildcardAllowed && "*".equals(name)))) {
            return Validated.ok(name);
        }
        return Validated.invalid(key + " is required and must match [A-Za-z0-9_.~-]{1,128}"
                + (wildcardAllowed ? " or be \"*\"" : ""));
    }
}
