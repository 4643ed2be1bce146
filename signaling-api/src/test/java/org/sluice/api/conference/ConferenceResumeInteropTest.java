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
 * The client's WebSocket drops while its media keeps flowing: it resumes within the grace period
 * ({@code join {resume}}, {@code joined {resumed:true}}), offers again, keeps receiving, and the other participant
 * never sees it leave. Then it changes its name and mutes its microphone over the new socket, and the other is told.
 */
class ConferenceResumeInteropTest {

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
    void aDroppedSocketIsResumedAndMediaContinues() throws Exception {
        String room = "resume-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage a = open(chromium);
            BrowserPage b = open(chromium);
            String idA = ConferencePages.join(a, room, "A");
            String idB = ConferencePages.join(b, room, "B");
            JsonObject before = ConferencePages.await(() -> ConferencePages.received(a, CLIENT),
                    r -> r.containsKey(idB) && r.getJsonObject(idB).getLong("videoFrames") > 10, MEDIA_DEADLINE);
            assertThat(before.getJsonObject(idB).getLong("videoFrames")).as("A decodes B, %s", before).isGreaterThan(10);

            // The socket goes away (a code the client does not treat as final), the peer connection stays.
            a.evaluate("""
                    (() => { const c = window.conf.client;
                             c.addEventListener('reconnecting', () => window.conf.events.push({ type: 'reconnecting' }));
                             c.addEventListener('reconnected', () => window.conf.events.push({ type: 'reconnected' }));
                             c._ws.close(3000, 'test drops the socket'); return true; })()""");
            JsonObject resumed = ConferencePages.await(() -> new JsonObject().put("events", a.evaluate("window.conf.events"))
                            .put("state", a.evaluate("window.conf.client.state")),
                    s -> "joined".equals(s.getString("state")) && hasType(s.getJsonArray("events"), "reconnected"),
                    Duration.ofSeconds(15));
            System.out.println("A after the drop: " + resumed.encode());
            assertThat(hasType(resumed.getJsonArray("events"), "reconnecting")).as("reconnecting, %s", resumed).isTrue();
            assertThat(hasType(resumed.getJsonArray("events"), "reconnected")).as("reconnected, %s", resumed).isTrue();
            assertThat(hasType(resumed.getJsonArray("events"), "removed")).as("not removed, %s", resumed).isFalse();
            assertThat(a.evaluate("window.conf.client.self.id")).isEqualTo(idA);

            JsonObject later = ConferencePages.await(() -> ConferencePages.received(a, CLIENT),
                    r -> r.containsKey(idB) && r.getJsonObject(idB).getLong("videoFrames")
                            > before.getJsonObject(idB).getLong("videoFrames") + 30, MEDIA_DEADLINE);
            System.out.println("A receives after resuming: " + later.encode());
            assertThat(later.getJsonObject(idB).getLong("videoFrames")).as("A keeps decoding B")
                    .isGreaterThan(before.getJsonObject(idB).getLong("videoFrames") + 30);
            JsonArray eventsOfB = (JsonArray) b.evaluate("window.conf.events");
            assertThat(hasEvent(eventsOfB, "participantleft", idA)).as("B never saw A leave: %s", eventsOfB).isFalse();
            JsonObject bReceives = ConferencePages.received(b, CLIENT);
            assertThat(bReceives.getJsonObject(idA).getLong("videoFrames")).as("B decodes A, %s", bReceives).isPositive();

            // The new socket works: a name change and a mute reach B.
            Object changed = a.evaluate("""
                    (async () => { const c = window.conf.client;
                                   await c.update({ name: 'A2' });
                                   const mic = [...c.self.tracks.values()].find(t => t.info.kind === 'audio');
                                   await c.setMuted(mic.info.id, true);
                                   return mic.info.id; })().catch(e => 'error: ' + e)""");
            assertThat(String.valueOf(changed)).doesNotStartWith("error");
            JsonObject seen = ConferencePages.await(() -> (JsonObject) b.evaluate("""
                    (() => { const p = window.conf.client.participants.get('%s');
                             const mic = p && p.tracks.get('%s');
                             return { name: p ? p.name : null, muted: mic ? mic.info.muted : null }; })()"""
                            .formatted(idA, changed)),
                    s -> "A2".equals(s.getString("name")) && Boolean.TRUE.equals(s.getBoolean("muted")), Duration.ofSeconds(10));
            assertThat(seen.getString("name")).as("B sees the new name, %s", seen).isEqualTo("A2");
            assertThat(seen.getBoolean("muted")).as("B sees the microphone muted, %s", seen).isTrue();
        }
    }

    private static boolean hasType(JsonArray events, String type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.equals(events.getJsonObject(i).getString("type"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasEvent(JsonArray events, String type, String participantId) {
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            if (type.equals(e.getString("type")) && participantId.equals(e.getString("participantId"))) {
                return true;
            }
        }
        return false;
    }

    private static BrowserPage open(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(server.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
