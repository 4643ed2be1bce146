package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.engine.EngineConfig;

/**
 * WebSocket-level abuse of the real server (a secret configured, two participants per room at most) from JDK
 * WebSocket clients and from a browser participant's own socket, while a browser pair keeps exchanging media:
 * every bad input gets the documented {@code error} code and the connection's other state stays (a following
 * {@code ping} gets {@code pong}, a participant on it can still mute); bad tokens close with 4401. The pair keeps
 * decoding throughout; {@code GET /metrics} shows the call; after everyone leaves the engine has no participants and
 * no transports (and the Netty leak guard finds no leaked buffer).
 */
class ConferenceHostileInputInteropTest {

    private static final String SECRET = "conference-hostile-input-secret-0123";
    private static final Duration EVENT = Duration.ofSeconds(10);

    private final TokenIssuer issuer = new TokenIssuer(SECRET, Clock.systemUTC());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void preconditions() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
    }

    private String token(String room) {
        return issuer.issue(new Grant(room, true, true), Duration.ofMinutes(10));
    }

    @Test
    void badInputGetsDocumentedErrorsWhileAPairKeepsDecoding() throws Exception {
        ConferenceSettings d = ConferenceSettings.DEFAULTS;
        EngineConfig engineConfig = EngineConfig.loopback().withMediaLoops(2).withConference(new ConferenceSettings(
                2, d.maxTracksPerParticipant(), d.reconnectGrace(), Duration.ZERO, d.speakerInterval()));
        String pair = "pair-" + Long.toHexString(System.nanoTime());
        try (LoopbackMediaServer server = LoopbackMediaServer.start(engineConfig, Optional.of(SECRET));
             Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, server.origin(), Join.publishing(pair, "A").withToken(token(pair)));
            ClientPage b = ClientPage.join(chromium, server.origin(), Join.publishing(pair, "B").withToken(token(pair)));
            assertPairDecodes(a, b, "before the abuse");

            // The metrics of a two-participant call.
            Map<String, Double> first = scrape(server);
            Thread.sleep(2000);
            Map<String, Double> second = scrape(server);
            for (String name : new String[] {"sluice_packets_forwarded_total", "sluice_conference_participants",
                    "sluice_conference_rooms", "sluice_ws_connections"}) {
                System.out.println("metrics 2 s apart: " + name + " " + first.get(name) + " then " + second.get(name));
            }
            assertThat(second.get("sluice_packets_forwarded_total"))
                    .as("packets forwarded increase").isGreaterThan(first.get("sluice_packets_forwarded_total"));
            assertThat(second.get("sluice_conference_participants")).isEqualTo(2.0);
            assertThat(second.get("sluice_conference_rooms")).isEqualTo(1.0);
            assertThat(second.get("sluice_ws_connections")).isEqualTo(2.0);

            int port = server.httpPort();
            String other = "ws-" + Long.toHexString(System.nanoTime());
            try (WsTestClient ws = WsTestClient.connect(port, "access_token=" + token("*"))) {
                // Before join: only join and ping.
                expectError(ws, "{\"type\":\"mute\",\"id\":\"o1\",\"trackId\":\"x\",\"muted\":true}", "out_of_order", "o1");
                expectError(ws, "{\"type\":\"offer\",\"id\":\"o2\",\"sdp\":\"v=0\"}", "out_of_order", "o2");
                // Malformed JSON, not an object, unknown type, bad fields, wrong version.
                expectError(ws, "{\"type\":\"join\",", "bad_json", null);
                expectError(ws, "[1,2,3]", "bad_json", null);
                expectError(ws, "\u0000\uFFFF not json at all", "bad_json", null);
                expectError(ws, "{\"type\":\"explode\",\"id\":\"u1\"}", "unknown_type", "u1");
                expectError(ws, "{\"type\":\"join\",\"id\":\"j0\"}", "bad_message", "j0");
                expectError(ws, "{\"type\":\"join\",\"id\":\"j1\",\"room\":\"../../etc\"}", "bad_message", "j1");
                expectError(ws, "{\"type\":\"ping\",\"id\":\"v9\",\"v\":9}", "unsupported_version", "v9");
                // 70 KiB: too large, the connection stays.
                expectError(ws, "{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}",
                        "too_large", null);

                // Join, then out-of-order and bad requests on a joined connection.
                JsonObject joined = ws.request(new JsonObject().put("type", "join").put("id", "j2").put("room", other));
                assertThat(joined.getString("type")).as("joined: %s", joined).isEqualTo("joined");
                expectError(ws, new JsonObject().put("type", "join").put("id", "j3").put("room", other).encode(),
                        "out_of_order", "j3");
                expectError(ws, new JsonObject().put("type", "offer").put("id", "bad").put("sdp", "v=0\r\nnonsense\r\n")
                        .encode(), "bad_offer", null);
                JsonObject answer = nextOfType(ws, new JsonObject().put("type", "offer").put("id", "of1")
                        .put("sdp", audioOffer()).put("publish", new JsonArray().add(new JsonObject().put("mid", "0")
                                .put("source", "microphone"))), "answer");
                assertThat(answer.getJsonArray("published")).as("answer %s", answer).hasSize(1);
                String trackId = answer.getJsonArray("published").getJsonObject(0).getString("trackId");
                expectError(ws, "{\"type\":\"mute\",\"id\":\"m0\",\"trackId\":\"TRnope\",\"muted\":true}",
                        "unknown_track", "m0");
                expectError(ws, "{\"type\":\"mute\",\"id\":\"m1\",\"muted\":true}", "bad_message", "m1");
                expectError(ws, "{\"type\":\"subscribe\",\"id\":\"s1\",\"trackIds\":\"not-a-list\"}", "bad_message", "s1");
                expectError(ws, "{\"type\":\"hello\"", "bad_json", null);
                expectError(ws, "{\"type\":\"ping\",\"id\":\"big2\",\"pad\":\"" + "y".repeat(70 * 1024) + "\"}",
                        "too_large", null);
                // The participant on this connection is intact: it can still mute its track.
                JsonObject ok = nextOfType(ws, new JsonObject().put("type", "mute").put("id", "m2").put("trackId", trackId)
                        .put("muted", true), "ok");
                assertThat(ok.getString("id")).isEqualTo("m2");
                assertThat(server.engine().conferences().participants(other).get(0).info().tracks().get(0).muted())
                        .as("the server has the track muted").isTrue();
                nextOfType(ws, new JsonObject().put("type", "leave").put("id", "bye"), "ok");
                assertThat(ws.awaitClose()).isEqualTo(1000);
            }

            assertPairDecodes(a, b, "during the abuse");

            // The pair's room is full: a third participant is refused with room_full, and its connection stays.
            try (WsTestClient ws = WsTestClient.connect(port, null, "sluice.v1", "bearer." + token(pair))) {
                expectError(ws, new JsonObject().put("type", "join").put("id", "full").put("room", pair).encode(),
                        "room_full", "full");
                expectError(ws, new JsonObject().put("type", "join").put("id", "na").put("room", "elsewhere").encode(),
                        "not_allowed", "na");
            }
            // Wrong and expired tokens: unauthorized, then close 4401.
            String forged = new TokenIssuer("another-secret-0123456789abcdef", Clock.systemUTC())
                    .issue(new Grant(pair, true, true), Duration.ofMinutes(5));
            String expired = new TokenIssuer(SECRET, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))
                    .issue(new Grant(pair, true, true), Duration.ofMinutes(5));
            for (String bad : new String[] {forged, expired, "not.a.jwt", token(pair) + "x"}) {
                try (WsTestClient ws = WsTestClient.connect(port, "access_token=" + bad)) {
                    JsonObject error = ws.next();
                    System.out.println("token " + bad.substring(0, Math.min(12, bad.length())) + "…: " + error.encode());
                    assertThat(error.getString("code")).isEqualTo("unauthorized");
                    assertThat(ws.awaitClose()).isEqualTo(4401);
                }
            }

            // Abuse through a browser participant's own socket: errors come back, its session goes on.
            a.call("""
                    client._ws.send('{"type":');
                    client._ws.send('{"type":"warp","id":"w1"}');
                    client._ws.send(JSON.stringify({ type: 'ping', pad: 'z'.repeat(70 * 1024) }));""");
            JsonArray errors = Polling.until(() -> a.events("error", null), e -> e.size() >= 3, EVENT);
            System.out.println("A's error events: " + errors.encode());
            assertThat(errors.encode()).contains("bad_json").contains("too_large");
            a.call("await client.setMuted('" + a.camera() + "', true)");
            assertThat(b.awaitEvent("trackmuted", a.camera(), EVENT).getBoolean("muted")).isTrue();
            TrackFlow.assertStopped(b, a.camera(), "muted after the abuse");
            a.call("await client.setMuted('" + a.camera() + "', false)");
            assertThat(b.awaitEvent("trackmuted", a.camera(), 1, EVENT).getBoolean("muted")).isFalse();
            assertThat(a.events("removed", null)).isEmpty();
            assertPairDecodes(a, b, "after the abuse");

            Map<String, Double> errorCounts = scrape(server);
            errorCounts.keySet().removeIf(k -> !k.startsWith("sluice_ws_errors_total"));
            System.out.println("error counters: " + errorCounts);
            assertThat(errorCounts).containsEntry("sluice_ws_errors_total{code=\"unauthorized\"}", 4.0)
                    .containsEntry("sluice_ws_errors_total{code=\"room_full\"}", 1.0)
                    .containsEntry("sluice_ws_errors_total{code=\"too_large\"}", 3.0)
                    .containsEntry("sluice_ws_errors_total{code=\"bad_json\"}", 5.0);

            // Everyone leaves: no participants, no transports.
            assertThat(a.call("await client.leave()")).isEqualTo("ok");
            assertThat(b.call("await client.leave()")).isEqualTo("ok");
            long left = System.nanoTime();
            int participants = Polling.until(() -> server.engine().participantCount(), n -> n == 0, EVENT);
            int transports = Polling.until(() -> server.engine().openTransports(), n -> n == 0, EVENT);
            System.out.println("after leaving: " + participants + " participants, " + transports
                    + " transports after " + Duration.ofNanos(System.nanoTime() - left).toMillis() + " ms");
            assertThat(participants).isZero();
            assertThat(transports).isZero();
        }
    }

    /** Sends {@code text}; the next message is an {@code error} with {@code code} (and {@code id}); then ping → pong. */
    private static void expectError(WsTestClient ws, String text, String code, String id) throws Exception {
        ws.send(text);
        JsonObject error = ws.next();
        System.out.println((text.length() > 60 ? text.substring(0, 60) + "… (" + text.length() + " chars)" : text)
                + " → " + error.encode());
        assertThat(error.getString("type")).as("reply to %s: %s", text, error).isEqualTo("error");
        assertThat(error.getString("code")).as("reply to %s: %s", text, error).isEqualTo(code);
        assertThat(error.getString("message")).as("a reason").isNotBlank();
        if (id != null) {
            assertThat(error.getValue("id")).isEqualTo(id);
        }
        JsonObject pong = nextOfType(ws, new JsonObject().put("type", "ping").put("id", "p-" + code), "pong");
        assertThat(pong.getString("id")).isEqualTo("p-" + code);
    }

    /** Sends {@code request}; returns the first reply of {@code type} (events in between are skipped). */
    private static JsonObject nextOfType(WsTestClient ws, JsonObject request, String type) throws Exception {
        ws.send(request);
        for (int i = 0; i < 20; i++) {
            JsonObject message = ws.next();
            if (type.equals(message.getString("type"))) {
                return message;
            }
            assertThat(message.getString("type")).as("reply to %s: %s", request, message).isNotEqualTo("error");
        }
        throw new AssertionError("no " + type + " for " + request);
    }

    /** An SDP offer sending one Opus audio section (the transport never connects; the track is published). */
    private static String audioOffer() {
        String fingerprint = "sha-256 " + String.join(":", java.util.Collections.nCopies(32, "AB"));
        return String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "a=msid-semantic: WMS hostile",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
                "a=ice-ufrag:hstl", "a=ice-pwd:hostilehostilehostile1234", "a=ice-options:trickle",
                "a=fingerprint:" + fingerprint, "a=setup:actpass", "a=mid:0",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendonly", "a=msid:hostile audio-track",
                "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=ssrc:11223344 cname:hostile", "a=ssrc:11223344 msid:hostile audio-track", "");
    }

    private static void assertPairDecodes(ClientPage a, ClientPage b, String when) throws Exception {
        System.out.println(when + ": A's camera at B " + TrackFlow.assertFlowing(b, a.camera(), true, when)
                + "; B's camera at A " + TrackFlow.assertFlowing(a, b.camera(), true, when));
        TrackFlow.assertFlowing(b, a.microphone(), false, when);
        TrackFlow.assertFlowing(a, b.microphone(), false, when);
    }

    private static final Pattern SAMPLE = Pattern.compile("^(sluice_[a-z_]+(?:\\{[^}]*\\})?) ([-+0-9.eE]+)$",
            Pattern.MULTILINE);

    /** {@code GET /metrics}: every {@code sluice_} sample, name (with labels) → value. */
    private Map<String, Double> scrape(LoopbackMediaServer server) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.origin() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = SAMPLE.matcher(response.body());
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
