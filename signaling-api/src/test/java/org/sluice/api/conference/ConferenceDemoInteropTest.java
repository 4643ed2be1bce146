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

            Map<String, JsonObject> playing = DemoTiles.assertEveryPagePlaysAndHears(pages, 2, MEDIA_DEADLINE);
            for (Map.Entry<String, JsonObject> page : playing.entrySet()) {
                JsonArray remote = page.getValue().getJsonArray("remote");
                for (int i = 0; i < remote.size(); i++) {
                    JsonObject tile = remote.getJsonObject(i);
                    assertThat(tile.getString("stats")).as("%s: tile %s's overlay", page.getKey(), tile.getString("name"))
                            .startsWith(tile.getLong("videoWidth") + "x" + tile.getLong("videoHeight"));
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
}
