package org.sluice.api.conference;

import org.sluice.api.media.InteropServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conference demo at {@code /} as three users open it ({@code ?room=demo&name=A&autojoin=1&video=320x180}):
 * every page shows three tiles, every remote tile's video plays (it has a size and its clock advances), every
 * page receives audio from the two others, active speakers are highlighted, and a screenshot
 * ({@code target/screenshots/conference.png}) is kept.
 */
class ConferenceDemoInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "conference.png");

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void threeDemoPagesSeeAndHearEachOther() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            Map<String, BrowserPage> pages = new LinkedHashMap<>();
            for (String name : List.of("A", "B", "C")) {
                pages.put(name, ClientPage.openDemo(chromium, SERVER.origin(), "demo", name));
            }

            Map<String, JsonObject> playing = new LinkedHashMap<>();
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                JsonObject tiles = Polling.until(() -> tiles(page.getValue()),
                        t -> t.getJsonArray("remote").size() == 2 && allPlaying(t.getJsonArray("remote"), 0.5),
                        MEDIA_DEADLINE);
                System.out.println(page.getKey() + " tiles: " + tiles.encode());
                assertThat(tiles.getInteger("count")).as("%s: tiles (self + two), %s", page.getKey(), tiles).isEqualTo(3);
                assertThat(tiles.getJsonArray("remote")).as("%s: remote tiles, %s", page.getKey(), tiles).hasSize(2);
                assertThat(allPlaying(tiles.getJsonArray("remote"), 0.5)).as("%s: remote tiles playing, %s", page.getKey(), tiles)
                        .isTrue();
                assertThat(tiles.getString("participantCount")).isEqualTo("3");
                playing.put(page.getKey(), tiles);
            }
            Map<String, JsonObject> audio = new LinkedHashMap<>();
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                audio.put(page.getKey(), ClientPage.receivedInDemo(page.getValue()));
            }
            Thread.sleep(2000);
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                String name = page.getKey();
                JsonObject later = tiles(page.getValue());
                JsonArray before = playing.get(name).getJsonArray("remote");
                for (int i = 0; i < before.size(); i++) {
                    JsonObject tile = before.getJsonObject(i);
                    JsonObject now = find(later.getJsonArray("remote"), tile.getString("id"));
                    assertThat(now).as("%s: tile %s still there", name, tile.getString("id")).isNotNull();
                    assertThat(now.getDouble("currentTime")).as("%s: tile %s's clock advances (%s then %s)", name,
                            tile.getString("name"), tile, now).isGreaterThan(tile.getDouble("currentTime") + 1.0);
                    assertThat(now.getLong("videoWidth")).isPositive();
                    assertThat(now.getString("stats")).as("%s: tile %s's overlay", name, tile.getString("name"))
                            .startsWith(now.getLong("videoWidth") + "x" + now.getLong("videoHeight"));
                }
                JsonObject received = ClientPage.receivedInDemo(page.getValue());
                System.out.println(name + " receives " + received.encode());
                assertThat(received.fieldNames()).as("%s: remote participants", name).hasSize(2);
                for (String id : received.fieldNames()) {
                    long first = audio.get(name).getJsonObject(id, new JsonObject()).getLong("audioPackets", 0L);
                    assertThat(received.getJsonObject(id).getLong("audioPackets"))
                            .as("%s: audio packets from %s increase", name, received.getJsonObject(id).getString("name"))
                            .isGreaterThan(first);
                }
            }

            // The fake microphones beep: the server's active-speaker list highlights tiles.
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                JsonObject speaking = Polling.until(() -> new JsonObject().put("speaking",
                                page.getValue().evaluate("document.querySelectorAll('.tile.speaking').length")),
                        s -> s.getInteger("speaking") > 0, Duration.ofSeconds(15));
                assertThat(speaking.getInteger("speaking")).as("%s: tiles highlighted as speaking", page.getKey()).isPositive();
            }

            BrowserPage shown = pages.get("A");
            long bytes = shown.screenshot(SCREENSHOT);
            System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath() + " (" + bytes + " bytes)");
            assertThat(ImageIO.read(SCREENSHOT.toFile())).as("a PNG").isNotNull();
        }
    }

    /** The page's tiles: {count, participantCount, remote: [{id, name, videoWidth, videoHeight, currentTime, stats}]}. */
    private static JsonObject tiles(BrowserPage page) throws Exception {
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

    private static boolean allPlaying(JsonArray tiles, double seconds) {
        for (int i = 0; i < tiles.size(); i++) {
            JsonObject tile = tiles.getJsonObject(i);
            if (tile.getLong("videoWidth") <= 0 || tile.getDouble("currentTime") < seconds) {
                return false;
            }
        }
        return true;
    }

    private static JsonObject find(JsonArray tiles, String id) {
        for (int i = 0; i < tiles.size(); i++) {
            if (id.equals(tiles.getJsonObject(i).getString("id"))) {
                return tiles.getJsonObject(i);
            }
        }
        return null;
    }
}
