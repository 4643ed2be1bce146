package org.sluice.api.admin;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.RoomInfo;

/** Rooms and participants: each handler validates, calls the engine on a worker thread and answers JSON. */
final class RoomHandlers {

    private final Vertx vertx;
    private final ConferenceService conferences;

    RoomHandlers(Vertx vertx, ConferenceService conferences) {
        this.vertx = vertx;
        this.conferences = conferences;
    }

    void listRooms(RoutingContext ctx) {
        offEventLoop(conferences::rooms).onComplete(result -> {
            if (result.failed()) {
                ConferenceErrors.fail(ctx, result.cause());
                return;
            }
            JsonArray rooms = new JsonArray();
            result.result().forEach(room -> rooms.add(AdminJson.room(room)));
            ApiResponses.json(ctx, 200, new JsonObject().put("rooms", rooms));
        });
    }

    void createRoom(RoutingContext ctx) {
        JsonObject body = JsonBody.read(ctx);
        if (body == null) {
            return;
        }
        Validated<CreateRoomRequest> request = CreateRoomRequest.parse(body);
        if (!request.isValid()) {
            ApiResponses.error(ctx, 400, "invalid", request.invalidReason());
            return;
        }
        CreateRoomRequest create = request.value();
        offEventLoop(() -> conferences.createRoom(create.name(), create.options())).onComplete(result -> {
            if (result.failed()) {
                ConferenceErrors.fail(ctx, result.cause());
                return;
            }
            RoomInfo room = result.result();
            ctx.response().putHeader("Location", "/api/rooms/" + room.name());
            ApiResponses.json(ctx, 201, AdminJson.room(room));
        });
    }

    void getRoom(RoutingContext ctx) {
        String name = ApiResponses.pathName(ctx, "room", "room");
        if (name == null) {
            return;
        }
        offEventLoop(() -> conferences.room(name)).onComplete(result -> {
            if (result.failed()) {
                ConferenceErrors.fail(ctx, result.cause());
                return;
            }
            Optional<RoomInfo> room = result.result();
            if (room.isEmpty()) {
                ApiResponses.noSuch(ctx, "room");
            } else {
                ApiResponses.json(ctx, 200, AdminJson.room(room.get()));
            }
        });
    }

    void closeRoom(RoutingContext ctx) {
        String name = ApiResponses.pathName(ctx, "room", "room");
        if (name == null) {
            return;
        }
        offEventLoop(() -> conferences.closeRoom(name)).onComplete(result -> answerRemoval(ctx, result, "room"));
    }

    void listParticipants(RoutingContext ctx) {
        String name = ApiResponses.pathName(ctx, "room", "room");
        if (name == null) {
            return;
        }
        offEventLoop(() -> conferences.participants(name)).onComplete(result -> {
            if (result.failed()) {
                ConferenceErrors.fail(ctx, result.cause());
                return;
            }
            List<ParticipantStats> participants = result.result();
            JsonArray list = new JsonArray();
            participants.forEach(participant -> list.add(AdminJson.participant(participant)));
            ApiResponses.json(ctx, 200, new JsonObject().put("participants", list));
        });
    }

    void removeParticipant(RoutingContext ctx) {
        String room = ApiResponses.pathName(ctx, "room", "participant");
        String id = room == null ? null : ApiResponses.pathName(ctx, "id", "participant");
        if (id == null) {
            return;
        }
        offEventLoop(() -> conferences.removeParticipant(room, id))
                .onComplete(result -> answerRemoval(ctx, result, "participant"));
    }

    private static void answerRemoval(RoutingContext ctx, AsyncResult<Boolean> result, String what) {
        if (result.failed()) {
            ConferenceErrors.fail(ctx, result.cause());
        } else if (Boolean.TRUE.equals(result.result())) {
            ApiResponses.noContent(ctx);
        } else {
            ApiResponses.noSuch(ctx, what);
        }
    }


    private <T> Future<T> offEventLoop(Callable<T> call) {
        return vertx.executeBlocking(call, false);
    }
}
