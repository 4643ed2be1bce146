package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sluice.core.conference.RoomOptions;

/** Request-body validation treats JSON as hostile: random field types and values never throw and stay in bounds. */
class AdminRequestParsingTest {

    private static final List<String> KEYS = List.of("name", "room", "maxParticipants", "emptyTimeoutSeconds",
            "publish", "subscribe", "admin", "ttlSeconds", "other");

    @Test
    void knownGoodBodies() {
        Validated<CreateRoomRequest> room = CreateRoomRequest.parse(new JsonObject()
                .put("name", "a.b~c-d_9").put("maxParticipants", 10_000).put("emptyTimeoutSeconds", 1));
        assertThat(room.value()).isEqualTo(new CreateRoomRequest("a.b~c-d_9", new RoomOptions(10_000, Duration.ofSeconds(1))));
        Validated<TokenRequest> token = TokenRequest.parse(new JsonObject().put("room", "*").put("admin", true)
                .put("ttlSeconds", 86_400L));
        assertThat(token.value().grant().admin()).isTrue();
        assertThat(token.value().ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(token.value().name()).isNull();
    }

    @Test
    void reasonsNameTheField() {
        assertThat(CreateRoomRequest.parse(new JsonObject().put("name", "x").put("maxParticipants", true))
                .invalidReason()).isEqualTo("maxParticipants must be an integer");
        assertThat(TokenRequest.parse(new JsonObject().put("room", "x").put("ttlSeconds", 0)).invalidReason())
                .isEqualTo("ttlSeconds must be between 1 and 86400");
        assertThat(TokenRequest.parse(new JsonObject()).invalidReason()).startsWith("room is required");
    }

    @Test
    void randomBodiesNeverThrowAndValidResultsAreInBounds() {
        SplittableRandom random = new SplittableRandom(0x5151CE);
        int validRooms = 0;
        int validTokens = 0;
        for (int i = 0; i < 100_000; i++) {
            JsonObject body = new JsonObject();
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                body.put(KEYS.get(random.nextInt(KEYS.size())), randomValue(random));
            }
            Validated<CreateRoomRequest> room = CreateRoomRequest.parse(body);
            if (room.isValid()) {
                validRooms++;
                assertThat(room.value().name()).matches("[A-Za-z0-9_.~-]{1,128}");
                assertThat(room.value().options().maxParticipants()).isBetween(0, 10_000);
                Duration timeout = room.value().options().emptyTimeout();
                assertThat(timeout == null || (timeout.getSeconds() >= 1 && timeout.getSeconds() <= 86_400)).isTrue();
            } else {
                assertThat(room.invalidReason()).isNotBlank();
            }
            Validated<TokenRequest> token = TokenRequest.parse(body);
            if (token.isValid()) {
                validTokens++;
                assertThat(token.value().grant().room()).matches("\\*|[A-Za-z0-9_.~-]{1,128}");
                assertThat(token.value().ttl().getSeconds()).isBetween(1L, 86_400L);
                assertThat(token.value().name() == null || token.value().name().length() <= 128).isTrue();
            } else {
                assertThat(token.invalidReason()).isNotBlank();
            }
        }
        assertThat(validRooms).isPositive();
        assertThat(validTokens).isPositive();
    }

    private static Object randomValue(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt(-3, 20_000);
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * 100;
            case 5 -> "r" + random.nextInt(1000);
            case 6 -> random.nextBoolean() ? "*" : "";
            case 7 -> "x".repeat(random.nextInt(120, 140));
            case 8 -> new JsonArray().add(random.nextInt());
            default -> new JsonObject().put("k", random.nextInt());
        };
    }
}
