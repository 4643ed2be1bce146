package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.conference.ConferenceEvent;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.ParticipantInfo;
import org.sluice.core.conference.ParticipantListener;
import org.sluice.core.conference.PauseCause;
import org.sluice.core.conference.Speaker;
import org.sluice.core.conference.TrackInfo;
import org.sluice.core.conference.TrackSource;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.forward.MediaKind;

/** The conferencing WebSocket against a real server and a scripted engine, without authentication. */
class ConferenceSocketTest {

    private static final Clock NOW = Clock.fixed(Instant.ofEpochMilli(1_795_412_345_678L), ZoneOffset.UTC);

    private ConferenceTestServer server;
    private WsTestClient client;

    @BeforeEach
    void start() throws Exception {
        server = new ConferenceTestServer(Optional.empty(), NOW);
        client = server.connect();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static JsonObject msg(String type, Object id) {
        JsonObject json = new JsonObject().put("type", type);
        return id == null ? json : json.put("id", id);
    }

    private JsonObject join(WsTestClient c) throws Exception {
        JsonObject joined = c.request(msg("join", "j").put("room", "lobby").put("name", "Ann"));
        assertThat(joined.getString("type")).isEqualTo("joined");
        return joined;
    }

    private void assertPingWorks(WsTestClient c) throws Exception {
        JsonObject pong = c.request(msg("ping", "after"));
        assertThat(pong.getString("type")).isEqualTo("pong");
        assertThat(pong.getString("id")).isEqualTo("after");
    }

    private void assertError(JsonObject reply, Object id, String code) {
        assertThat(reply.getString("type")).isEqualTo("error");
        assertThat(reply.getValue("id")).isEqualTo(id);
        assertThat(reply.getString("code")).isEqualTo(code);
        assertThat(reply.getString("message")).isNotBlank();
    }

    @Test
    void joinRepliesJoinedWithSelfPeersIceServersAndResumeToken() throws Exception {
        TrackInfo bobCamera = new TrackInfo("t7", "bob", MediaKind.VIDEO, TrackSource.CAMERA, false,
                List.of(new Layer("q", 320, 180), new Layer("f", 1280, 720)));
        server.conferences.others.add(new ParticipantInfo("bob", "Bob", null, List.of(bobCamera)));

        JsonObject joined = client.request(msg("join", "1").put("room", "lobby").put("name", "Ann")
                .put("metadata", new JsonObject().put("color", "red")).put("autoSubscribe", false).put("v", 1));

        assertThat(server.conferences.nextCall())
                .isEqualTo("join room=lobby name=Ann pub=true sub=true auto=false meta={\"color\":\"red\"}");
        assertThat(joined.getString("type")).isEqualTo("joined");
        assertThat(joined.getString("id")).isEqualTo("1");
        assertThat(joined.getInteger("v")).isEqualTo(1);
        assertThat(joined.getJsonObject("self")).isEqualTo(new JsonObject().put("id", "p1").put("name", "Ann")
                .put("metadata", new JsonObject().put("color", "red")).put("tracks", new JsonArray()));
        JsonObject bob = joined.getJsonArray("participants").getJsonObject(0);
        assertThat(bob.getString("id")).isEqualTo("bob");
        assertThat(bob.getValue("metadata")).isNull();
        assertThat(bob.getJsonArray("tracks").getJsonObject(0)).isEqualTo(new JsonObject().put("id", "t7")
                .put("participantId", "bob").put("kind", "video").put("source", "camera").put("muted", false)
                .put("layers", new JsonArray()
                        .add(new JsonObject().put("rid", "q").put("width", 320).put("height", 180))
                        .add(new JsonObject().put("rid", "f").put("width", 1280).put("height", 720))));
        assertThat(joined.getJsonArray("iceServers")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("urls", new JsonArray().add("stun:stun.example.org:3478")))
                .add(new JsonObject().put("urls", new JsonArray().add("turn:turn.example.org:3478"))
                        .put("username", "user").put("credential", "pass")));
        assertThat(joined.getString("resumeToken")).isEqualTo("token-p1");
        assertThat(joined.getLong("reconnectGrace")).isEqualTo(20_000L);
        assertThat(joined.getBoolean("resumed")).isFalse();
    }

    @Test
    void numericIdsAreEchoedAsNumbersAndPongCarriesServerTime() throws Exception {
        JsonObject pong = client.request(msg("ping", 42));
        assertThat(pong.getValue("id")).isEqualTo(42);
        assertThat(pong.getLong("time")).isEqualTo(NOW.millis());
        JsonObject joined = client.request(msg("join", 7.5).put("room", "lobby"));
        assertThat(joined.getString("type")).isEqualTo("joined");
        assertThat(joined.getValue("id")).isEqualTo(7.5);
    }

    @Test
    void offerPassesPublicationsAndMapsTheAnswer() throws Exception {
        join(client);
        server.conferences.nextCall();
        JsonObject answer = client.request(msg("offer", "2").put("sdp", "v=0\r\n").put("publish", new JsonArray()
                .add(new JsonObject().put("mid", "0").put("source", "microphone"))
                .add(new JsonObject().put("mid", "1").put("source", "camera").put("muted", true)
                        .put("layers", new JsonArray().add(new JsonObject().put("rid", "q").put("width", 320)
                                .put("height", 180))))));

        assertThat(server.conferences.nextCall()).isEqualTo("offer p1 sdp=v=0\r\n publish=["
                + "TrackPublication[mid=0, source=MICROPHONE, muted=false, layers=[], width=0, height=0, "
                + "scalabilityMode=null], "
                + "TrackPublication[mid=1, source=CAMERA, muted=true, layers=[Layer[rid=q, width=320, height=180]], "
                + "width=0, height=0, scalabilityMode=null]]");
        assertThat(answer).isEqualTo(new JsonObject().put("type", "answer").put("id", "2")
                .put("sdp", "answer-to:v=0\r\n")
                .put("published", new JsonArray().add(new JsonObject().put("mid", "0").put("trackId", "t-0"))
                        .add(new JsonObject().put("mid", "1").put("trackId", "t-1")))
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "9").put("trackId", "remote-track")
                        .put("participantId", "p-remote"))));
    }

    @Test
    void everyRequestIsPassedToTheEngineAndAnsweredOk() throws Exception {
        join(client);
        server.conferences.nextCall();
        List<JsonObject> requests = List.of(
                msg("trickle", "a").put("candidate", new JsonObject().put("candidate", "candidate:1 1 udp 1 1.2.3.4 5 typ host")),
                msg("trickle", "b").putNull("candidate"),
                msg("unpublish", "c").put("trackId", "t-0"),
                msg("mute", "d").put("trackId", "t-1").put("muted", true),
                msg("subscribe", "e").put("trackIds", new JsonArray().add("x").add("y")),
                msg("unsubscribe", "f").put("trackIds", new JsonArray().add("x")),
                msg("preferences", "g").put("trackId", "y").put("maxHeight", 360).put("priority", 200),
                msg("preferences", "h").put("trackId", "y").put("paused", true).put("maxLayer", "h"),
                msg("update", "i").put("name", "Annie").put("metadata", new JsonArray().add(1)));
        for (JsonObject request : requests) {
            JsonObject reply = client.request(request);
            assertThat(reply).isEqualTo(msg("ok", request.getString("id")));
        }
        assertThat(drain(7)).containsExactly(
                "unpublish p1 t-0",
                "mute p1 t-1 true",
                "subscribe p1 [x, y]",
                "unsubscribe p1 [x]",
                "preferences p1 y SubscriptionPreferences[paused=false, maxHeight=360, maxLayer=null, priority=200, "
                        + "maxFramerate=0.0, maxSpatialLayer=-1, maxTemporalLayer=-1]",
                "preferences p1 y SubscriptionPreferences[paused=true, maxHeight=360, maxLayer=h, priority=200, "
                        + "maxFramerate=0.0, maxSpatialLayer=-1, maxTemporalLayer=-1]",
                "update p1 name=Annie meta=[1]");
    }

    private List<String> drain(int count) throws InterruptedException {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(server.conferences.nextCall());
        }
        return calls;
    }

    @Test
    void malformedMessagesGetTheirCodesAndTheSessionGoesOn() throws Exception {
        for (String text : List.of("[1,2]", "{", "\"join\"", "42", "null", "")) {
            assertError(client.request(new JsonObject().put("x", 1)).copy().put("id", null), null, "bad_message");
            client.send(text);
            assertError(client.next(), null, "bad_json");
        }
        assertError(client.request(new JsonObject().put("id", "u").put("type", "dance")), "u", "unknown_type");
        assertError(client.request(msg("ping", "v2").put("v", 2)), "v2", "unsupported_version");
        assertError(client.request(msg("ping", "vs").put("v", "1")), "vs", "unsupported_version");
        assertError(client.request(msg("ping", "x".repeat(65))), null, "bad_message");
        assertError(client.request(msg("ping", new JsonObject())), null, "bad_message");
        assertError(client.request(new JsonObject().put("id", 5).put("type", 3)), 5, "bad_message");
        assertPingWorks(client);

        join(client);
        JsonObject noSdp = client.request(msg("offer", "o"));
        assertError(noSdp, "o", "bad_message");
        assertThat(noSdp.getString("message")).contains("sdp");
        JsonObject mutedText = client.request(msg("mute", "m").put("trackId", "t").put("muted", "yes"));
        assertError(mutedText, "m", "bad_message");
        assertThat(mutedText.getString("message")).contains("muted");
        JsonObject badSource = client.request(msg("offer", "s").put("sdp", "v=0").put("publish",
                new JsonArray().add(new JsonObject().put("mid", "0").put("source", "radio"))));
        assertError(badSource, "s", "bad_message");
        assertThat(badSource.getString("message")).contains("publish[0].source");
        assertError(client.request(msg("preferences", "p").put("trackId", "t").put("priority", 256)), "p",
                "bad_message");
        assertError(client.request(msg("update", "md").put("metadata", "x".repeat(5000))), "md", "bad_message");
        assertPingWorks(client);
    }

    @Test
    void requestsOutOfOrderAreRefused() throws Exception {
        assertError(client.request(msg("offer", "early").put("sdp", "v=0")), "early", "out_of_order");
        assertError(client.request(msg("leave", "early2")), "early2", "out_of_order");
        join(client);
        assertError(client.request(msg("join", "again").put("room", "lobby")), "again", "out_of_order");

        CountDownLatch gate = new CountDownLatch(1);
        server.conferences.offerGate = gate;
        client.send(msg("offer", "first").put("sdp", "v=0"));
        assertError(client.request(msg("offer", "second").put("sdp", "v=0")), "second", "out_of_order");
        gate.countDown();
        assertThat(client.next().getString("id")).isEqualTo("first");
        server.conferences.offerGate = null;
        assertThat(client.request(msg("offer", "third").put("sdp", "v=0")).getString("type")).isEqualTo("answer");
        assertPingWorks(client);
    }

    @Test
    void aMessageAbove64KiBIsTooLargeButTheConnectionStays() throws Exception {
        client.send(msg("ping", "big").put("pad", "x".repeat(70 * 1024)));
        assertError(client.next(), null, "too_large");
        assertPingWorks(client);
    }

    @Test
    void aMessageAbove1MiBClosesTheSocketWith1009() throws Exception {
        client.send(msg("ping", "huge").put("pad", "x".repeat(1100 * 1024)));
        assertThat(client.awaitClose()).isEqualTo(1009);
    }

    @Test
    void engineRefusalsAreMappedToTheirCodesAndChangeNothing() throws Exception {
        server.conferences.nextFailure = new ConferenceException(ConferenceException.Code.ROOM_FULL, "the room is full");
        JsonObject full = client.request(msg("join", "j1").put("room", "lobby"));
        assertError(full, "j1", "room_full");
        assertThat(full.getString("message")).isEqualTo("the room is full");
        join(client);

        server.conferences.nextFailure = new ConferenceException(ConferenceException.Code.UNKNOWN_TRACK, "no track t9");
        assertError(client.request(msg("unpublish", "u").put("trackId", "t9")), "u", "unknown_track");
        server.conferences.nextFailure = new ConferenceException(ConferenceException.Code.TOO_MANY_TRACKS, "limit");
        assertError(client.request(msg("offer", "o").put("sdp", "v=0")), "o", "too_many_tracks");
        server.conferences.nextFailure = new ConferenceException(ConferenceException.Code.BAD_OFFER, "no ICE");
        assertError(client.request(msg("offer", "o2").put("sdp", "v=0")), "o2", "bad_offer");
        server.conferences.nextFailure = new IllegalStateException("secret internals at line 42");
        JsonObject internal = client.request(msg("mute", "m").put("trackId", "t").put("muted", true));
        assertError(internal, "m", "internal");
        assertThat(internal.encode()).doesNotContain("secret").doesNotContain("IllegalState");
        assertThat(client.request(msg("mute", "m2").put("trackId", "t").put("muted", true)))
                .isEqualTo(msg("ok", "m2"));
        assertPingWorks(client);
    }

    @Test
    void anUnexpectedFailureOfJoinLeavesTheConnectionUnjoined() throws Exception {
        server.conferences.nextFailure = new IllegalStateException("boom");
        assertError(client.request(msg("join", "j1").put("room", "lobby")), "j1", "internal");
        assertError(client.request(msg("offer", "o").put("sdp", "v=0")), "o", "out_of_order");
        join(client);
    }

    @Test
    void eventsAreDeliveredInOrder() throws Exception {
        join(client);
        ParticipantListener listener = server.conferences.listener("p1");
        TrackInfo track = new TrackInfo("a1", "bob", MediaKind.AUDIO, TrackSource.MICROPHONE, false, List.of());
        ParticipantInfo bob = new ParticipantInfo("bob", "Bob", "{\"x\":1}", List.of());
        listener.onEvent(new ConferenceEvent.ParticipantJoined(bob));
        listener.onEvent(new ConferenceEvent.TrackPublished(track));
        listener.onEvent(new ConferenceEvent.RenegotiationNeeded(1, 0));
        listener.onEvent(new ConferenceEvent.TrackMuted("bob", "a1", true));
        listener.onEvent(new ConferenceEvent.ActiveSpeakers(List.of(new Speaker("bob", 0.5))));
        listener.onEvent(new ConferenceEvent.ParticipantUpdated(bob));
        listener.onEvent(new ConferenceEvent.TrackUnpublished("bob", "a1"));
        listener.onEvent(new ConferenceEvent.ParticipantLeft("bob", "left"));
        for (int i = 0; i < 300; i++) {
            listener.onEvent(new ConferenceEvent.RenegotiationNeeded(i, 0));
        }

        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "participantJoined")
                .put("participant", new JsonObject().put("id", "bob").put("name", "Bob")
                        .put("metadata", new JsonObject().put("x", 1)).put("tracks", new JsonArray())));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "trackPublished").put("track",
                new JsonObject().put("id", "a1").put("participantId", "bob").put("kind", "audio")
                        .put("source", "microphone").put("muted", false).put("layers", new JsonArray())));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "renegotiate").put("audio", 1).put("video", 0));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "trackMuted").put("participantId", "bob")
                .put("trackId", "a1").put("muted", true));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "activeSpeakers").put("speakers",
                new JsonArray().add(new JsonObject().put("participantId", "bob").put("level", 0.5))));
        assertThat(client.next().getString("type")).isEqualTo("participantUpdated");
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "trackUnpublished")
                .put("participantId", "bob").put("trackId", "a1"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "participantLeft")
                .put("participantId", "bob").put("reason", "left"));
        for (int i = 0; i < 300; i++) {
            assertThat(client.next().getInteger("audio")).isEqualTo(i);
        }
    }

    @Test
    void eventsAfterTheServerClosedAreDroppedWithoutThrowing() throws Exception {
        join(client);
        ParticipantListener listener = server.conferences.listener("p1");
        server.close(); // the engine outlives the HTTP side at shutdown and still tells its participants
        listener.onEvent(new ConferenceEvent.ParticipantLeft("bob", "left"));
        listener.onEvent(new ConferenceEvent.RenegotiationNeeded(1, 0));
    }

    @Test
    void roomMessagesTravelOverTheSocketBothWays() throws Exception {
        join(client);
        server.conferences.nextCall();
        assertThat(client.request(msg("data", "d1").put("data", "hi").put("to", new JsonArray().add("p2"))
                .put("topic", "chat")).getString("type")).isEqualTo("ok");
        assertThat(server.conferences.nextCall())
                .isEqualTo("data p1 to=[p2] topic=chat text=true reliable=true payload=hi");
        assertThat(client.request(msg("data", "d2").put("data", "AP8=").put("binary", true).put("reliable", false))
                .getString("type")).isEqualTo("ok");
        assertThat(server.conferences.nextCall())
                .isEqualTo("data p1 to=[] topic= text=false reliable=false payload=\u0000\u00ff");
        server.conferences.dataOutcome = RoomDataRelay.Outcome.RATE_LIMITED;
        assertError(client.request(msg("data", "d3").put("data", "x")), "d3", "rate_limited");
        server.conferences.dataOutcome = RoomDataRelay.Outcome.UNKNOWN_RECIPIENTS;
        assertError(client.request(msg("data", "d4").put("data", "x").put("to", new JsonArray().add("nobody"))),
                "d4", "unknown_participant");
        assertError(client.request(msg("data", "d5").put("data", "not base64!").put("binary", true)), "d5",
                "bad_message");
        assertThat(client.request(msg("dataTopics", "t1").put("topics", new JsonArray().add("chat")))
                .getString("type")).isEqualTo("ok");
        server.conferences.nextCall();
        server.conferences.nextCall();
        assertThat(server.conferences.nextCall()).isEqualTo("topics p1 [chat]");

        ParticipantListener listener = server.conferences.listener("p1");
        listener.onEvent(new ConferenceEvent.DataReceived("bob", "chat", true, "héllo".getBytes(StandardCharsets.UTF_8)));
        listener.onEvent(new ConferenceEvent.DataReceived("bob", "", false, new byte[] {0, (byte) 0xff}));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "data").put("from", "bob")
                .put("topic", "chat").put("data", "héllo"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "data").put("from", "bob")
                .put("data", "AP8=").put("binary", true));
    }

    @Test
    void subscriptionStatesCarryTheirReasonOnlyWhilePaused() throws Exception {
        join(client);
        ParticipantListener listener = server.conferences.listener("p1");
        listener.onEvent(new ConferenceEvent.SubscriptionState("bob", "v1", true, PauseCause.BANDWIDTH));
        listener.onEvent(new ConferenceEvent.SubscriptionState("bob", "v1", true, PauseCause.PREFERENCE));
        listener.onEvent(new ConferenceEvent.SubscriptionState("bob", "a1", true, PauseCause.PUBLISHER_MUTED));
        listener.onEvent(new ConferenceEvent.SubscriptionState("bob", "v1", false, null));

        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "subscriptionState")
                .put("participantId", "bob").put("trackId", "v1").put("state", "paused").put("reason", "bandwidth"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "subscriptionState")
                .put("participantId", "bob").put("trackId", "v1").put("state", "paused").put("reason", "preference"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "subscriptionState")
                .put("participantId", "bob").put("trackId", "a1").put("state", "paused")
                .put("reason", "publisherMuted"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "subscriptionState")
                .put("participantId", "bob").put("trackId", "v1").put("state", "active"));
    }

    @Test
    void anEventRaisedDuringTheJoinFollowsTheJoinedReply() throws Exception {
        server.conferences.eventDuringJoin = new ConferenceEvent.RenegotiationNeeded(2, 3);
        join(client);
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "renegotiate").put("audio", 2).put("video", 3));
    }

    @Test
    void removedIsSentThenTheSocketClosesWith4000WithoutDetach() throws Exception {
        join(client);
        server.conferences.nextCall();
        server.conferences.listener("p1").onEvent(new ConferenceEvent.Removed("kicked"));
        assertThat(client.next()).isEqualTo(new JsonObject().put("type", "removed").put("reason", "kicked"));
        assertThat(client.awaitClose()).isEqualTo(4000);
        assertThat(server.conferences.calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closingTheSocketDetachesTheParticipant() throws Exception {
        join(client);
        server.conferences.nextCall();
        client.close();
        assertThat(server.conferences.nextCall()).isEqualTo("detach p1");
    }

    @Test
    void aSocketClosedWhileItsJoinIsInFlightDetachesTheParticipantAfterwards() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        server.conferences.joinGate = gate;
        client.send(msg("join", "j").put("room", "lobby"));
        assertThat(server.conferences.nextCall()).startsWith("join room=lobby");
        client.close();
        Thread.sleep(200);
        gate.countDown();
        assertThat(server.conferences.nextCall()).isEqualTo("detach p1");
    }

    @Test
    void answeredTellsTheParticipantItsAnswerIsAppliedAndIsAnsweredOk() throws Exception {
        join(client);
        server.conferences.nextCall();
        assertThat(client.request(msg("answered", "a1"))).isEqualTo(msg("ok", "a1"));
        assertThat(server.conferences.nextCall()).isEqualTo("answered p1");
    }

    @Test
    void leaveIsAnsweredOkThenTheSocketClosesWith1000() throws Exception {
        join(client);
        server.conferences.nextCall();
        assertThat(client.request(msg("leave", "bye"))).isEqualTo(msg("ok", "bye"));
        assertThat(client.awaitClose()).isEqualTo(1000);
        assertThat(server.conferences.nextCall()).isEqualTo("leave p1");
        assertThat(server.conferences.calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void resumeOnANewSocketClosesTheOldOneWith4409AndTakesTheEvents() throws Exception {
        join(client);
        server.conferences.nextCall();
        try (WsTestClient second = server.connect()) {
            JsonObject joined = second.request(msg("join", "r").put("resume",
                    new JsonObject().put("participantId", "p1").put("resumeToken", "token-p1")));
            assertThat(joined.getString("type")).isEqualTo("joined");
            assertThat(joined.getBoolean("resumed")).isTrue();
            assertThat(joined.getJsonObject("self").getString("id")).isEqualTo("p1");
            assertThat(client.awaitClose()).isEqualTo(4409);
            assertThat(server.conferences.nextCall()).isEqualTo("resume p1");
            assertThat(server.conferences.calls.poll(300, TimeUnit.MILLISECONDS)).isNull();

            server.conferences.listener("p1").onEvent(new ConferenceEvent.TrackMuted("bob", "a1", false));
            assertThat(second.next().getString("type")).isEqualTo("trackMuted");
            assertThat(second.request(msg("mute", "m").put("trackId", "t").put("muted", false)))
                    .isEqualTo(msg("ok", "m"));
        }
    }

    @Test
    void aFailedResumeLeavesTheConnectionUnjoined() throws Exception {
        JsonObject failed = client.request(msg("join", "r").put("resume",
                new JsonObject().put("participantId", "p9").put("resumeToken", "nope")));
        assertError(failed, "r", "resume_failed");
        assertError(client.request(msg("offer", "o").put("sdp", "v=0")), "o", "out_of_order");
        join(client);
    }

    @Test
    void aPlainGetOfTheEndpointIsABadRequest() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/ws"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void requestsWithoutIdAreAnsweredOnlyWhenTheyFail() throws Exception {
        client.send(msg("ping", null));
        client.send(msg("offer", null).put("sdp", "v=0"));
        assertError(client.next(), null, "out_of_order");
        assertPingWorks(client);
    }
}
