package org.sluice.api.conference;

import org.sluice.api.media.InteropServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;

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

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void everyoneReceivesEveryoneAndLeavingAndLateJoiningAreSeen() throws Exception {
        String room = "conf-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            Map<String, ClientPage> pages = new LinkedHashMap<>();
            for (String name : List.of("A", "B", "C")) {
                pages.put(name, ClientPage.join(chromium, SERVER.origin(), Join.publishing(room, name)));
            }

            // Everyone decodes the two others' video and receives their audio.
            assertEveryoneReceivesEveryone(pages, "");

            // C leaves: A and B are told, and what came from C stops.
            String idC = pages.get("C").id();
            Map<String, List<String>> tracksOfC = new LinkedHashMap<>();
            for (String name : List.of("A", "B")) {
                tracksOfC.put(name, receivedTrackIds(pages.get(name), idC));
                assertThat(tracksOfC.get(name)).as("%s receives C's audio and video", name).hasSize(2);
                assertThat(pages.get(name).packetsOfTracks(tracksOfC.get(name)))
                        .as("%s counts packets from C's sections while C is there", name).isPositive();
            }
            pages.get("C").call("await client.leave()");
            for (String name : List.of("A", "B")) {
                ClientPage page = pages.get(name);
                JsonObject told = page.awaitEvent("participantleft", null, Duration.ofSeconds(10));
                assertThat(told.getString("participantId")).as("%s got participantleft for C", name).isEqualTo(idC);
                assertThat(page.run("return client.participants.has('" + idC + "')"))
                        .as("C is gone from %s's participants", name).isEqualTo(false);
            }
            for (String name : List.of("A", "B")) {
                // The renegotiation after C left answers C's former sections inactive.
                JsonObject directions = Polling.until(() -> sectionDirections(pages.get(name), tracksOfC.get(name)),
                        d -> d.getJsonArray("directions").stream().allMatch("inactive"::equals), Duration.ofSeconds(10));
                System.out.println(name + ": C's former sections " + directions.encode());
                assertThat(directions.getJsonArray("directions").getList()).as("%s: C's former sections", name)
                        .containsOnly("inactive").hasSize(2);
            }
            pages.remove("C");
            // Chrome drops the stats of sections that went inactive, so what the server forwards is read there:
            // A and B no longer receive any track of C's.
            for (String name : pages.keySet()) {
                List<String> forwarded = ServerCounters.subscriptions(SERVER.server(), room, pages.get(name).id());
                System.out.println(name + ": the server forwards " + forwarded + " after C left");
                assertThat(forwarded).as("%s's subscriptions after C left", name).hasSize(2)
                        .doesNotContainAnyElementsOf(tracksOfC.get(name));
            }
            // A and B still receive each other.
            for (String name : pages.keySet()) {
                List<String> others = others(pages, name);
                assertReceiving(name, awaitReceiving(pages.get(name), others), others);
            }

            // D joins late: it receives A and B, and they receive it.
            pages.put("D", ClientPage.join(chromium, SERVER.origin(), Join.publishing(room, "D")));
            assertEveryoneReceivesEveryone(pages, " (after D joined)");
            for (ClientPage page : pages.values()) {
                System.out.println("activeSpeakers events: " + page.run("return JSON.stringify(window.conf.speakers.slice(-3))")
                        + " of " + page.run("return window.conf.speakers.length"));
                assertThat(page.run("return client.pc.signalingState")).isEqualTo("stable");
                JsonArray errors = page.events("error", null).addAll(page.events("removed", null));
                assertThat(errors).as("error events").isEmpty();
            }
        }
    }

    /** Every page decodes every other's video and receives its audio, and both keep arriving. */
    private static void assertEveryoneReceivesEveryone(Map<String, ClientPage> pages, String when) throws Exception {
        for (String name : pages.keySet()) {
            List<String> others = others(pages, name);
            JsonObject received = awaitReceiving(pages.get(name), others);
            System.out.println(name + " receives" + when + " " + received.encode());
            assertReceiving(name, received, others);
        }
        assertAudioFlows(pages);
    }

    /** The ids of every participant in {@code pages} but {@code name}. */
    private static List<String> others(Map<String, ClientPage> pages, String name) {
        List<String> others = new ArrayList<>();
        pages.forEach((n, page) -> {
            if (!n.equals(name)) {
                others.add(page.id());
            }
        });
        return others;
    }

    private static JsonObject awaitReceiving(ClientPage page, List<String> from) throws Exception {
        return Polling.until(page::receivedByParticipant, r -> from.stream().allMatch(id -> {
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
    private static void assertAudioFlows(Map<String, ClientPage> pages) throws Exception {
        Map<String, JsonObject> first = new LinkedHashMap<>();
        for (Map.Entry<String, ClientPage> page : pages.entrySet()) {
            first.put(page.getKey(), page.getValue().receivedByParticipant());
        }
        Thread.sleep(2000);
        for (Map.Entry<String, ClientPage> page : pages.entrySet()) {
            JsonObject later = page.getValue().receivedByParticipant();
            for (String id : others(pages, page.getKey())) {
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
    private static List<String> receivedTrackIds(ClientPage page, String id) throws Exception {
        JsonArray array = (JsonArray) page.call("""
                return [...client.participants.get('%s').tracks.values()]
                  .filter(t => t.mediaStreamTrack).map(t => t.mediaStreamTrack.id)""".formatted(id));
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    /** The current directions of the sections that received these MediaStreamTracks. */
    private static JsonObject sectionDirections(ClientPage page, List<String> trackIdentifiers) throws Exception {
        JsonArray ids = new JsonArray(new ArrayList<Object>(trackIdentifiers));
        return new JsonObject().put("directions", page.call("""
                const ids = new Set(%s);
                return client.pc.getTransceivers().filter(t => ids.has(t.receiver.track.id))
                  .map(t => t.currentDirection);""".formatted(ids.encode())));
    }
}
