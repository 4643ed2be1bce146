package org.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sluice.core.session.IceServer;

/** WHIP/WHEP over real HTTP with authentication off. */
class WhipWhepHttpTest {

    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
    private static final String SDP = "application/sdp";
    private static final String FRAG = "application/trickle-ice-sdpfrag";

    private static HttpTestServer http;

    @BeforeAll
    static void start() throws IOException {
        http = new HttpTestServer(Optional.empty(),
                List.of(new IceServer("stun:stun.example.net:3478", null, null),
                        new IceServer("turn:turn.example.net?transport=udp", "user", "pass")),
                List.of(new IceServer("stun:engine.example.net", null, null)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static HttpResponse<String> publish(String room) throws IOException, InterruptedException {
        return http.post("/whip/" + room, SDP, OFFER);
    }

    private static String location(HttpResponse<String> created) {
        return created.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void whipPostCreatesASessionResource() throws Exception {
        HttpResponse<String> response = publish("room1");
        assertThat(response.statusCode()).isEqualTo(201);
        String location = location(response);
        assertThat(location).matches("/whip/room1/s\\d+");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(response.headers().firstValue("ETag")).contains("\"e-" + id + "-1\"");
        assertThat(response.headers().firstValue("Content-Type")).contains(SDP);
        assertThat(response.headers().firstValue("Accept-Patch")).contains(FRAG);
        assertThat(response.headers().allValues("Link")).containsExactly(
                "<stun:stun.example.net:3478>; rel=\"ice-server\"",
                "<turn:turn.example.net?transport=udp>; rel=\"ice-server\"; username=\"user\"; credential=\"pass\"; credential-type=\"password\"",
                "<stun:engine.example.net>; rel=\"ice-server\"");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                .contains("Location, ETag, Link, Accept-Patch");
        assertThat(response.body()).isEqualTo("v=0\r\no=- answer-to room1\r\n");
        assertThat(http.sessions.calls).contains("publish room1");
        assertThat(http.sessions.threads).allSatisfy(t -> assertThat(t).doesNotContain("eventloop"));
    }

    @Test
    void whepPostSubscribes() throws Exception {
        HttpResponse<String> response = http.post("/whep/room2", "application/sdp; charset=utf-8", OFFER);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(location(response)).matches("/whep/room2/s\\d+");
        assertThat(http.sessions.calls).contains("subscribe room2");
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        assertThat(http.post("/whip/r", "text/plain", OFFER).statusCode()).isEqualTo(415);
        HttpResponse<String> none = http.send(http.request("/whep/r").POST(HttpRequest.BodyPublishers.ofString(OFFER)));
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @ParameterizedTest
    @CsvSource({"MALFORMED_SDP,400", "UNSUPPORTED_OFFER,400", "NO_COMMON_CODEC,406", "CONFLICT,409", "UNAVAILABLE,503"})
    void rejectedOffersMapToStatuses(String reason, int status) throws Exception {
        HttpResponse<String> response = http.post("/whip/r", SDP, "v=0\r\nx-reject:" + reason);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo("offer refused: " + reason + "\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void unexpectedEngineFailureIsAGeneric500() throws Exception {
        HttpResponse<String> response = http.post("/whep/r", SDP, "v=0\r\nx-crash");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("internal server error\n");
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        HttpResponse<String> response = http.post("/whip/r", SDP, "a".repeat(64 * 1024 + 1));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("larger than 65536");
        assertThat(http.post("/whip/r", SDP, "v=0\r\n" + "a".repeat(64 * 1024 - 5)).statusCode()).isEqualTo(201);
    }

    @Test
    void oversizedChunkedBodyIs413() throws Exception {
        byte[] big = new byte[200 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        HttpResponse<String> response = http.send(http.request("/whep/r").header("Content-Type", SDP)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void invalidRoomNameIs400() throws Exception {
        assertThat(http.post("/whip/bad%20room", SDP, OFFER).statusCode()).isEqualTo(400);
    }

    @Test
    void trickleCandidatesGive204() throws Exception {
        String location = location(publish("t1"));
        HttpResponse<String> response = http.send(http.request(location).header("Content-Type", FRAG)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n")));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void ifMatchIsChecked() throws Exception {
        HttpResponse<String> created = publish("t2");
        String location = location(created);
        String etag = created.headers().firstValue("ETag").orElseThrow();
        String fragment = "a=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n";
        assertThat(patch(location, fragment, "\"stale\"").statusCode()).isEqualTo(412);
        assertThat(patch(location, fragment, "W/" + etag).statusCode()).isEqualTo(412);
        assertThat(patch(location, fragment, etag).statusCode()).isEqualTo(204);
        assertThat(patch(location, fragment, "\"other\", " + etag).statusCode()).isEqualTo(204);
        assertThat(patch(location, fragment, "*").statusCode()).isEqualTo(204);
    }

    @Test
    void iceRestartReturnsTheFragmentAndANewEtag() throws Exception {
        HttpResponse<String> created = publish("t3");
        String location = location(created);
        String oldTag = created.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> restart = patch(location, "a=ice-ufrag:new1\r\na=ice-pwd:newpasswordnewpassword12\r\n", "*");
        assertThat(restart.statusCode()).isEqualTo(200);
        assertThat(restart.headers().firstValue("Content-Type")).contains(FRAG);
        assertThat(restart.body()).startsWith("a=ice-ufrag:srv2");
        String newTag = restart.headers().firstValue("ETag").orElseThrow();
        assertThat(newTag).isNotEqualTo(oldTag).startsWith("\"");
        assertThat(patch(location, "a=candidate:x\r\n", oldTag).statusCode()).isEqualTo(412);
        assertThat(patch(location, "a=candidate:x\r\n", newTag).statusCode()).isEqualTo(204);
    }

    @Test
    void patchErrors() throws Exception {
        String location = location(publish("t4"));
        assertThat(patch("/whip/t4/nosuch", "a=candidate:x\r\n", null).statusCode()).isEqualTo(404);
        assertThat(patch(location, "x-reject", null).statusCode()).isEqualTo(400);
        HttpResponse<String> wrongType = http.send(http.request(location).header("Content-Type", SDP)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate:x\r\n")));
        assertThat(wrongType.statusCode()).isEqualTo(415);
    }

    @Test
    void deleteEndsTheSessionOnce() throws Exception {
        String location = location(publish("d1"));
        assertThat(http.send(http.request(location).DELETE()).statusCode()).isEqualTo(200);
        HttpResponse<String> again = http.send(http.request(location).DELETE());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("no such session\n");
    }

    @Test
    void preflightOnEndpointAndResource() throws Exception {
        HttpResponse<String> endpoint = http.send(http.request("/whip/p1")
                .header("Origin", "http://example.test").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(endpoint.statusCode()).isEqualTo(204);
        assertThat(endpoint.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(endpoint.headers().firstValue("Access-Control-Allow-Methods")).contains("OPTIONS, POST");
        assertThat(endpoint.headers().firstValue("Access-Control-Allow-Headers")).contains("Authorization, Content-Type, If-Match");
        assertThat(endpoint.headers().firstValue("Accept-Post")).contains(SDP);
        HttpResponse<String> resource = http.send(http.request("/whep/p1/s1")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(resource.statusCode()).isEqualTo(204);
        assertThat(resource.headers().firstValue("Access-Control-Allow-Methods")).contains("OPTIONS, PATCH, DELETE");
        assertThat(resource.headers().firstValue("Accept-Patch")).contains(FRAG);
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> get = http.send(http.request("/whip/r").GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("OPTIONS, POST");
        HttpResponse<String> put = http.send(http.request("/whep/r/s1").PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("OPTIONS, PATCH, DELETE");
        assertThat(http.send(http.request("/whep/r/s1").POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode())
                .isEqualTo(405);
    }

    @Test
    void healthAndUnknownPaths() throws Exception {
        assertThat(http.send(http.request("/health/live").GET()).statusCode()).isEqualTo(200);
        assertThat(http.send(http.request("/health/ready").GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = http.send(http.request("/nothing/here").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("not found\n");
    }

    @Test
    void servesTheDemoPages() throws Exception {
        HttpResponse<String> index = http.send(http.request("/").GET());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(index.body()).contains("publish.html").contains("watch.html");
        for (String page : List.of("/publish.html", "/watch.html", "/js/whip.js", "/js/whep.js")) {
            assertThat(http.send(http.request(page).GET()).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(http.send(http.request("/js/whip.js").GET()).headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    }

    private static HttpResponse<String> patch(String location, String fragment, String ifMatch)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = http.request(location).header("Content-Type", FRAG)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(fragment));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request);
    }
}
