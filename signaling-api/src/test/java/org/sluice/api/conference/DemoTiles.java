package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sluice.api.browser.BrowserPage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a conference demo page ({@link ClientPage#openDemo}) shows, read from {@code window.sluiceDemo}: its tiles,
 * whether each remote tile's video plays (it has a size and its clock advances), and whether the page hears every
 * remote participant (audio packets increase).
 */
final class DemoTiles {

    /** How long each tile's clock must advance, and each participant's audio grow, between two samples. */
    private static final long SAMPLE_GAP_MILLIS = 2000;

    private DemoTiles() {
    }

    /** The page's tiles: {count, participantCount, remote: [{id, name, videoWidth, videoHeight, currentTime, stats}]}. */
    static JsonObject tiles(BrowserPage page) throws Exception {
        return (JsonObject) page.evaluate("""
                (() => {
                  const demo = window.sluiceDemo;
                  const out = { count: 0, participantCount: document.getElementById('participant-count').textContent,
                                remote: [] };
                  if (!demo || !demo.client) return out;
                  out.count = demo.tiles.size;
                  for (const [id, tile] of demo.tiles) {
                    if (id === demo.client.self.id) continue;
                    const v = tile.querySelector('video');
                    out.remote.push({ id, name: tile.querySelector('.tile-name').textContent, videoWidth: v.videoWidth,
                                      videoHeight: v.videoHeight, currentTime: v.currentTime, paused: v.paused,
                                      stats: tile.querySelector('.tile-stats').textContent });
                  }
                  return out;
                })()""");
    }

    /** Whether every tile has a frame size and has played at least {@code seconds}. */
    static boolean allPlaying(JsonArray tiles, double seconds) {
        for (int i = 0; i < tiles.size(); i++) {
            JsonObject tile = tiles.getJsonObject(i);
            if (tile.getLong("videoWidth") <= 0 || tile.getDouble("currentTime") < seconds) {
                return false;
            }
        }
        return true;
    }

    /** The tile of participant {@code id}, or null. */
    static JsonObject find(JsonArray tiles, String id) {
        for (int i = 0; i < tiles.size(); i++) {
            if (id.equals(tiles.getJsonObject(i).getString("id"))) {
                return tiles.getJsonObject(i);
            }
        }
        return null;
    }

    /**
     * Waits (bounded by {@code deadline} per page) until every page shows {@code remote} remote tiles, all playing;
     * then, {@value #SAMPLE_GAP_MILLIS} ms later, asserts each tile's clock advanced by more than a second with a
     * frame size, and that new video frames were decoded and audio packets received from every remote participant
     * (a video element's clock advances in Firefox even when no frame comes, so the clock alone is not enough). Prints what each page showed and
     * received; returns the later tiles per page name.
     */
    static Map<String, JsonObject> assertEveryPagePlaysAndHears(Map<String, BrowserPage> pages, int remote,
                                                                Duration deadline) throws Exception {
        Map<String, JsonObject> playing = new LinkedHashMap<>();
        for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
            JsonObject tiles = Polling.until(() -> tiles(page.getValue()),
                    t -> t.getJsonArray("remote").size() == remote && allPlaying(t.getJsonArray("remote"), 0.5),
                    deadline);
            System.out.println(page.getKey() + " tiles: " + tiles.encode());
            assertThat(tiles.getJsonArray("remote")).as("%s: remote tiles, %s", page.getKey(), tiles).hasSize(remote);
            assertThat(allPlaying(tiles.getJsonArray("remote"), 0.5)).as("%s: remote tiles playing, %s",
                    page.getKey(), tiles).isTrue();
            assertThat(tiles.getString("participantCount")).isEqualTo(String.valueOf(remote + 1));
            playing.put(page.getKey(), tiles);
        }
        Map<String, JsonObject> audio = new LinkedHashMap<>();
        for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
            audio.put(page.getKey(), ClientPage.receivedInDemo(page.getValue()));
        }
        Thread.sleep(SAMPLE_GAP_MILLIS);
        Map<String, JsonObject> later = new LinkedHashMap<>();
        for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
            String name = page.getKey();
            JsonObject now = tiles(page.getValue());
            JsonArray before = playing.get(name).getJsonArray("remote");
            for (int i = 0; i < before.size(); i++) {
                JsonObject tile = before.getJsonObject(i);
                JsonObject then = find(now.getJsonArray("remote"), tile.getString("id"));
                assertThat(then).as("%s: tile %s still there", name, tile.getString("id")).isNotNull();
                assertThat(then.getDouble("currentTime")).as("%s: tile %s's clock advances (%s then %s)", name,
                        tile.getString("name"), tile, then).isGreaterThan(tile.getDouble("currentTime") + 1.0);
                assertThat(then.getLong("videoWidth")).as("%s: tile %s's width", name, tile.getString("name"))
                        .isPositive();
            }
            JsonObject received = ClientPage.receivedInDemo(page.getValue());
            System.out.println(name + " receives " + received.encode());
            assertThat(received.fieldNames()).as("%s: remote participants", name).hasSize(remote);
            for (String id : received.fieldNames()) {
                JsonObject first = audio.get(name).getJsonObject(id, new JsonObject());
                JsonObject second = received.getJsonObject(id);
                String from = second.getString("name");
                if (!progressed(first.getLong("audioPackets", 0L), second.getLong("audioPackets"))
                        || !progressed(first.getLong("videoFrames", 0L), second.getLong("videoFrames"))) {
                    System.out.println(name + " receives nothing new from " + from + "; its connection: "
                            + ClientPage.receiveDiagnostics(page.getValue()));
                }
                assertThat(progressed(first.getLong("audioPackets", 0L), second.getLong("audioPackets")))
                        .as("%s: audio packets from %s increase (%s then %s)", name, from, first, second).isTrue();
                assertThat(progressed(first.getLong("videoFrames", 0L), second.getLong("videoFrames")))
                        .as("%s: video frames from %s decoded (%s then %s)", name, from, first, second).isTrue();
            }
            later.put(name, now);
        }
        return later;
    }

    /**
     * Whether an inbound-rtp counter shows new packets or frames between two samples. Firefox re-creates a receive
     * stream, its counters starting from zero, when a renegotiation touches it: a counter that went down but is
     * positive counted only what arrived after the first sample.
     */
    static boolean progressed(long before, long after) {
        return after > before || (after < before && after > 0);
    }
}
