package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.media.LoopbackMediaServer;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A participant stops its camera ({@code unpublish}) and starts it again ({@code publishCamera}): the other is told
 * ({@code trackunpublished}, {@code trackended}), and the new camera track reaches it in a receive section of its
 * peer connection, decoded, without a second peer connection.
 */
class ConferenceUnpublishInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);
    private static final String CLIENT = "window.conf && window.conf.client";

    private static LoopbackMediaServer server;

    @BeforeAll
    static void startServer() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        server = LoopbackMediaServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCameraStoppedAndStartedAgainReachesTheOther() throws Exception {
        String room = "unpublish-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage a = open(chromium);
            BrowserPage b = open(chromium);
            String idA = ConferencePages.join(a, room, "A");
            ConferencePages.join(b, room, "B");
            JsonObject first = ConferencePages.await(() -> ConferencePages.received(b, CLIENT),
                    r -> r.containsKey(idA) && r.getJsonObject(idA).getLong("videoFrames") > 10, MEDIA_DEADLINE);
            assertThat(first.getJsonObject(idA).getLong("videoFrames")).as("B decodes A, %s", first).isGreaterThan(10);

            String camera = String.valueOf(a.evaluate("""
                    (async () => { const c = window.conf.client;
                                   const cam = [...c.self.tracks.values()].find(t => t.info.kind === 'video');
                                   await c.unpublish(cam.info.id);
                                   return cam.info.id; })().catch(e => 'error: ' + e)"""));
            assertThat(camera).doesNotStartWith("error");
            JsonObject told = ConferencePages.await(() -> new JsonObject().put("events", b.evaluate("window.conf.events")),
                    e -> count(e.getJsonArray("events"), "trackended", camera) == 1, Duration.ofSeconds(10));
            System.out.println("B after A unpublished its camera: " + told.encode());
            assertThat(count(told.getJsonArray("events"), "trackended", camera)).as("trackended, %s", told).isEqualTo(1);
            assertThat((Boolean) b.evaluate("window.conf.client.participants.get('%s').tracks.has('%s')"
                    .formatted(idA, camera))).as("the track is gone from B's view").isFalse();
            assertThat(a.evaluate("window.conf.client.self.tracks.size")).as("A's own tracks: the microphone").isEqualTo(1);

            String again = String.valueOf(a.evaluate("""
                    window.conf.client.publishCamera({ stream: window.conf.stream, width: %d, height: %d })
                      .catch(e => 'error: ' + e)""".formatted(ConferencePages.WIDTH, ConferencePages.HEIGHT)));
            assertThat(again).doesNotStartWith("error").isNotEqualTo(camera);
            JsonObject back = ConferencePages.await(() -> ConferencePages.received(b, CLIENT),
                    r -> r.containsKey(idA) && r.getJsonObject(idA).getLong("videoFrames") > 10, MEDIA_DEADLINE);
            System.out.println("B receives the new camera: " + back.encode());
            assertThat(back.getJsonObject(idA).getLong("videoFrames")).as("B decodes A's new camera").isGreaterThan(10);
            assertThat(back.getJsonObject(idA).getLong("videoWidth")).isEqualTo(ConferencePages.WIDTH);
            JsonArray events = (JsonArray) b.evaluate("window.conf.events");
            assertThat(count(events, "track", again)).as("a track event for the new camera, %s", events).isEqualTo(1);
            for (BrowserPage page : new BrowserPage[] {a, b}) {
                assertThat(page.evaluate("window.conf.client.pc.signalingState")).isEqualTo("stable");
                assertThat(page.evaluate("window.conf.events.filter(e => e.type === 'error').length")).isEqualTo(0);
            }
        }
    }

    private static int count(JsonArray events, String type, String trackId) {
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            if (type.equals(e.getString("type")) && trackId.equals(e.getString("trackId"))) {
                n++;
            }
        }
        return n;
    }

    private static BrowserPage open(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(server.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
