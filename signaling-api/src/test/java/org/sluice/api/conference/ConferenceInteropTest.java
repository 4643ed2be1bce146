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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three, then four Chromium pages in one room, each running the conferencing client
 * ({@code /js/sluice-client.js}) against the real server: every participant decodes every other's video
 * and receives its audio; when one leaves the others are told ({@code participantleft}) and its media stops
 * reaching them; a participant joining late receives everyone still there, and they receive it.
 */
class ConferenceInteropTest {

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
    void everyoneReceivesEveryoneAndLeavingAndLateJoiningAreSeen() throws Exception {
        String room = "conf-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            Map<String, BrowserPage> pages = new LinkedHashMap<>();
            Map<String, String> ids = new LinkedHashMap<>();
            for (String name : List.of("A", "B", "C")) {
                BrowserPage page = open(chromium);
                pages.put(name, page);
                ids.put(name, ConferencePages.join(page, room, name));
            }

            // Everyone decodes the two others' video and receives their audio.
            for (String name : pages.keySet()) {
                List<String> others = others(ids, name);
                JsonObject received = awaitReceiving(pages.get(name), others);
                System.out.println(name + " receives " + received.encode());
                assertReceiving(name, received, others);
            }
            assertAudioFlows(pages, ids);

            // C leaves: A and B are told, and what came from C stops.
            Map<String, List<String>> tracksOfC = new LinkedHashMap<>();
            for (String name : List.of("A", "B")) {
                tracksOfC.put(name, receivedTrackIds(pages.get(name), ids.get("C")));
                assertThat(tracksOfC.get(name)).as("%s receives C's audio and video", name).hasSize(2);
                assertThat(ConferencePages.packetsOfTracks(pages.get(name), CLIENT, tracksOfC.get(name)))
                        .as("%s counts packets from C's sections while C is there", name).isPositive();
            }
            Object left = pages.get("C").evaluate("window.conf.client.leave().then(() => 'left', e => 'error: ' + e)");
            assertThat(left).isEqualTo("left");
            for (String name : List.of("A", "B")) {
                BrowserPage page = pages.get(name);
                JsonObject told = ConferencePages.await(() -> new JsonObject().put("events", events(page)),
                        e -> hasEvent(e.getJsonArray("events"), "participantleft", ids.get("C")), Duration.ofSeconds(10));
                assertThat(hasEvent(told.getJsonArray("events"), "participantleft", ids.get("C")))
                        .as("%s got participantleft for C, events %s", name, told).isTrue();
                assertThat((Boolean) page.evaluate("window.conf.client.participants.has('" + ids.get("C") + "')"))
                        .as("C is gone from %s's participants", name).isFalse();
            }
            for (String name : List.of("A", "B")) {
                // The renegotiation after C left answers C's former sections inactive.
                JsonObject directions = ConferencePages.await(() -> sectionDirections(pages.get(name), tracksOfC.get(name)),
                        d -> d.getJsonArray("directions").stream().allMatch("inactive"::equals), Duration.ofSeconds(10));
                System.out.println(name + ": C's former sections " + directions.encode());
                assertThat(directions.getJsonArray("directions").getList()).as("%s: C's former sections", name)
                        .containsOnly("inactive").hasSize(2);
            }
            Thread.sleep(1500); // packets already in flight arrive
            Map<String, Long> before = new LinkedHashMap<>();
            for (String name : List.of("A", "B")) {
                before.put(name, ConferencePages.packetsOfTracks(pages.get(name), CLIENT, tracksOfC.get(name)));
            }
            Thread.sleep(2000);
            for (String name : List.of("A", "B")) {
                long after = ConferencePages.packetsOfTracks(pages.get(name), CLIENT, tracksOfC.get(name));
                System.out.println(name + ": packets from C's sections " + before.get(name) + " then " + after);
                assertThat(after).as("%s receives nothing more from C", name).isLessThanOrEqualTo(before.get(name));
            }
            // A and B still receive each other.
            for (String name : List.of("A", "B")) {
                List<String> others = List.of(ids.get(name.equals("A") ? "B" : "A"));
                assertReceiving(name, awaitReceiving(pages.get(name), others), others);
            }

            // D joins late: it receives A and B, and they receive it.
            BrowserPage late = open(chromium);
            ids.put("D", ConferencePages.join(late, room, "D"));
            ids.remove("C");
            pages.remove("C");
            pages.put("D", late);
            for (String name : pages.keySet()) {
                List<String> others = others(ids, name);
                JsonObject received = awaitReceiving(pages.get(name), others);
                System.out.println(name + " receives (after D joined) " + received.encode());
                assertReceiving(name, received, others);
            }
            assertAudioFlows(pages, ids);
            for (BrowserPage page : pages.values()) {
                System.out.println("activeSpeakers events: " + page.evaluate("JSON.stringify(window.conf.speakers.slice(-3))")
                        + " of " + page.evaluate("window.conf.speakers.length"));
                assertThat(page.evaluate("window.conf.client.pc.signalingState")).isEqualTo("stable");
                assertThat(errors(page)).as("error events").isEmpty();
            }
        }
    }

    private static List<String> others(Map<String, String> ids, String name) {
        List<String> others = new ArrayList<>(ids.values());
        others.remove(ids.get(name));
        return others;
    }

    private static JsonObject awaitReceiving(BrowserPage page, List<String> from) throws Exception {
        return ConferencePages.await(() -> ConferencePages.received(page, CLIENT), r -> from.stream().allMatch(id -> {
            JsonObject entry = r.getJsonObject(id);
            return entry != null && entry.getLong("videoFrames") > 10 && entry.getLong("videoWidth") > 0
                    && entry.getLong("audioPackets") > 10;
        }), MEDIA_DEADLINE);
    }

    private static void assertReceiving(String name, JsonObject received, List<String> from) {
        for (String id : from) {
            JsonObject entry = received.getJsonObject(id);
            assertThat(entry).as("%s knows participant %s: %s", name, id, received).isNotNull();
            assertThat(entry.getLong("videoFrames")).as("%s decodes %s's video: %s", name, id, received).isPositive();
            assertThat(entry.getLong("videoWidth")).as("%s: %s's frame width, %s", name, id, received).isPositive();
            assertThat(entry.getLong("audioPackets")).as("%s receives %s's audio: %s", name, id, received).isPositive();
        }
    }

    /** Audio packets from every other participant keep arriving at every page. */
    private static void assertAudioFlows(Map<String, BrowserPage> pages, Map<String, String> ids) throws Exception {
        Map<String, JsonObject> first = new LinkedHashMap<>();
        for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
            first.put(page.getKey(), ConferencePages.received(page.getValue(), CLIENT));
        }
        Thread.sleep(2000);
        for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
            JsonObject later = ConferencePages.received(page.getValue(), CLIENT);
            for (String id : others(ids, page.getKey())) {
                assertThat(later.getJsonObject(id).getLong("audioPackets"))
                        .as("%s: audio packets from %s increase (%s then %s)", page.getKey(), id, first.get(page.getKey()), later)
                        .isGreaterThan(first.get(page.getKey()).getJsonObject(id).getLong("audioPackets"));
                assertThat(later.getJsonObject(id).getLong("videoFrames"))
                        .as("%s: frames from %s increase", page.getKey(), id)
                        .isGreaterThan(first.get(page.getKey()).getJsonObject(id).getLong("videoFrames"));
            }
        }
    }

    /** The MediaStreamTrack ids the page receives participant {@code id}'s tracks in. */
    private static List<String> receivedTrackIds(BrowserPage page, String id) throws Exception {
        JsonArray array = (JsonArray) page.evaluate("""
                [...window.conf.client.participants.get('%s').tracks.values()]
                  .filter(t => t.mediaStreamTrack).map(t => t.mediaStreamTrack.id)""".formatted(id));
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    /** The current directions of the sections that received these MediaStreamTracks. */
    private static JsonObject sectionDirections(BrowserPage page, List<String> trackIdentifiers) throws Exception {
        JsonArray ids = new JsonArray(new ArrayList<Object>(trackIdentifiers));
        return new JsonObject().put("directions", page.evaluate("""
                (() => { const ids = new Set(%s);
                         return window.conf.client.pc.getTransceivers().filter(t => ids.has(t.receiver.track.id))
                           .map(t => t.currentDirection); })()""".formatted(ids.encode())));
    }

    private static JsonArray events(BrowserPage page) throws Exception {
        return (JsonArray) page.evaluate("window.conf.events");
    }

    private static JsonArray errors(BrowserPage page) throws Exception {
        return (JsonArray) page.evaluate("window.conf.events.filter(e => e.type === 'error' || e.type === 'removed')");
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
