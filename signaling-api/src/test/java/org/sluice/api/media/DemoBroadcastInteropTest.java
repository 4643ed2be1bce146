package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo pages as a user drives them, against the real server: {@code /publish.html} publishes
 * the fake camera, {@code /watch.html} in another tab plays it. The watch page's video element
 * plays (it has a size and its clock advances), its status shows the connection and the received
 * resolution, and a screenshot of the page ({@code target/screenshots/watch.png}) shows picture in
 * the video element rather than its dark background.
 */
class DemoBroadcastInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "watch.png");

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void watchPagePlaysWhatThePublishPageSends() throws Exception {
        String room = "demo";
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage publish = open(chromium, "/publish.html");
            start(publish, room);
            BrowserPage watch = open(chromium, "/watch.html");
            start(watch, room);

            JsonObject playing = MediaPages.awaitStats(() -> player(watch),
                    p -> p.getLong("videoWidth") > 0 && p.getDouble("currentTime") > 1.0, MEDIA_DEADLINE);
            System.out.println("player: " + playing.encode());
            assertThat(playing.getLong("videoWidth")).as("video width, %s", playing).isPositive();
            assertThat(playing.getLong("videoHeight")).as("video height, %s", playing).isPositive();
            assertThat(playing.getBoolean("paused")).as("paused, %s", playing).isFalse();
            Thread.sleep(2000);
            JsonObject later = player(watch);
            System.out.println("player 2 s later: " + later.encode());
            assertThat(later.getDouble("currentTime")).as("the clock advances, %s then %s", playing, later)
                    .isGreaterThan(playing.getDouble("currentTime") + 1.0);
            assertThat(later.getLong("decodedFrames")).as("frames presented").isGreaterThan(playing.getLong("decodedFrames"));

            assertThat(text(watch, "state")).isEqualTo("connected");
            assertThat(text(publish, "state")).isEqualTo("connected");
            assertThat(text(watch, "stats")).as("the page's own stats line")
                    .startsWith(later.getLong("videoWidth") + "x" + later.getLong("videoHeight") + " · ");

            long bytes = watch.screenshot(SCREENSHOT);
            System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath() + " (" + bytes + " bytes)");
            BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
            assertThat(image).as("a PNG").isNotNull();
            JsonObject box = (JsonObject) watch.evaluate("""
                    (() => { const r = document.getElementById('player').getBoundingClientRect();
                             return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height),
                                      dpr: window.devicePixelRatio }; })()""");
            double picture = pictureShare(image, box);
            System.out.println("video box " + box.encode() + ": " + Math.round(picture * 100) + "% of its pixels differ from the background");
            assertThat(picture).as("share of the video box showing picture, box %s", box).isGreaterThan(0.3);

            // Stop in the pages: the publisher DELETEs its resource, the watcher too.
            publish.evaluate("document.getElementById('stop').click()");
            watch.evaluate("document.getElementById('stop').click()");
            JsonObject ended = MediaPages.awaitStats(() -> new JsonObject()
                            .put("publish", text(publish, "state")).put("watch", text(watch, "state"))
                            .put("sessions", SERVER.server().engine().sessionCount()),
                    s -> s.getInteger("sessions") == 0 && "stopped".equals(s.getString("publish"))
                            && "stopped".equals(s.getString("watch")), Duration.ofSeconds(10));
            System.out.println("after stop: " + ended.encode());
            assertThat(ended.getString("publish")).as("publish page state, %s", ended).isEqualTo("stopped");
            assertThat(ended.getString("watch")).as("watch page state, %s", ended).isEqualTo("stopped");
            assertThat(ended.getInteger("sessions")).as("sessions after both pages stopped").isZero();
        }
    }

    /** The share of pixels inside the video element that are not its #111 background. */
    private static double pictureShare(BufferedImage image, JsonObject box) {
        double dpr = box.getDouble("dpr");
        int x0 = (int) Math.max(0, box.getInteger("x") * dpr);
        int y0 = (int) Math.max(0, box.getInteger("y") * dpr);
        int x1 = (int) Math.min(image.getWidth(), (box.getInteger("x") + box.getInteger("w")) * dpr);
        int y1 = (int) Math.min(image.getHeight(), (box.getInteger("y") + box.getInteger("h")) * dpr);
        long total = 0;
        long picture = 0;
        for (int y = y0; y < y1; y += 2) {
            for (int x = x0; x < x1; x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                total++;
                if (Math.abs(r - 0x11) + Math.abs(g - 0x11) + Math.abs(b - 0x11) > 30) {
                    picture++;
                }
            }
        }
        return total == 0 ? 0 : (double) picture / total;
    }

    private static JsonObject player(BrowserPage page) throws Exception {
        return (JsonObject) page.evaluate("""
                (() => { const v = document.getElementById('player');
                         const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : { totalVideoFrames: 0 };
                         return { videoWidth: v.videoWidth, videoHeight: v.videoHeight, currentTime: v.currentTime,
                                  paused: v.paused, readyState: v.readyState, decodedFrames: q.totalVideoFrames }; })()""");
    }

    private static String text(BrowserPage page, String id) throws Exception {
        return String.valueOf(page.evaluate("document.getElementById('" + id + "').textContent"));
    }

    private static void start(BrowserPage page, String room) throws Exception {
        page.evaluate("document.getElementById('room').value = '" + room + "'; document.getElementById('start').click()");
    }

    private static BrowserPage open(Chromium chromium, String path) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(SERVER.origin() + path, Duration.ofSeconds(15));
        return page;
    }
}
