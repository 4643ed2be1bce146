package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broadcast through Sluice with real browsers: headless Chromium publishes its fake camera and
 * microphone over WHIP, two Chromium viewers watch over WHEP. Everything (ICE-lite, DTLS-SRTP, SDP,
 * forwarding, RTCP) is Sluice's own; the assertions come from the browsers' {@code getStats()}.
 */
class BroadcastInteropTest {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void viewersPlayThePublisherAndStayOnWhenANewPublisherTakesOver() throws Exception {
        String room = "broadcast";
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage viewerA = open(chromium);
            BrowserPage viewerB = open(chromium);
            // Viewers may come before the broadcast starts.
            MediaPages.watch(viewerA, room);
            MediaPages.watch(viewerB, room);

            BrowserPage publisher = open(chromium);
            MediaPages.publish(publisher, room, WIDTH, HEIGHT);

            for (BrowserPage viewer : new BrowserPage[] {viewerA, viewerB}) {
                JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                        s -> s.getLong("framesDecoded") >= 60 && s.getLong("frameWidth") == WIDTH
                                && s.getLong("audioPackets") > 50, MEDIA_DEADLINE);
                System.out.println("viewer stats with the first publisher: " + stats.encode());
                assertThat(stats.getLong("framesDecoded")).as("frames decoded, %s", stats).isGreaterThanOrEqualTo(60);
                assertThat(stats.getLong("frameWidth")).as("width, %s", stats).isEqualTo(WIDTH);
                assertThat(stats.getLong("frameHeight")).as("height, %s", stats).isEqualTo(HEIGHT);
                assertThat(stats.getLong("audioPackets")).as("audio packets, %s", stats).isGreaterThan(50);
                assertThat(stats.getString("connectionState")).isEqualTo("connected");
            }

            // DELETE of the publisher: the viewers stop receiving.
            MediaPages.stopPublishing(publisher);
            Thread.sleep(1500);
            JsonObject afterStop = MediaPages.viewerStats(viewerA);
            Thread.sleep(2000);
            JsonObject later = MediaPages.viewerStats(viewerA);
            assertThat(later.getLong("videoPackets")).as("video after DELETE, %s then %s", afterStop, later)
                    .isEqualTo(afterStop.getLong("videoPackets"));
            assertThat(later.getLong("audioPackets")).as("audio after DELETE").isEqualTo(afterStop.getLong("audioPackets"));

            // A new publisher in the same room reaches the same viewers, with no renegotiation.
            java.util.Map<BrowserPage, Long> framesBeforeHandover = java.util.Map.of(
                    viewerA, later.getLong("framesDecoded"),
                    viewerB, MediaPages.viewerStats(viewerB).getLong("framesDecoded"));
            BrowserPage secondPublisher = open(chromium);
            MediaPages.publish(secondPublisher, room, WIDTH, HEIGHT);
            for (BrowserPage viewer : new BrowserPage[] {viewerA, viewerB}) {
                long framesBefore = framesBeforeHandover.get(viewer);
                JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                        s -> s.getLong("framesDecoded") >= framesBefore + 60, MEDIA_DEADLINE);
                System.out.println("viewer stats with the second publisher: " + stats.encode());
                assertThat(stats.getLong("framesDecoded")).as("frames from the new publisher, %s", stats)
                        .isGreaterThanOrEqualTo(framesBefore + 60);
                assertThat(stats.getLong("frameWidth")).isEqualTo(WIDTH);
                assertThat(stats.getString("signalingState")).isEqualTo("stable");
                assertThat(viewer.evaluate("window.viewer.pc.getTransceivers().length")).isEqualTo(2);
            }
            assertThat(SERVER.server().engine().sessionCount()).as("two viewers and the second publisher").isEqualTo(3);
        }
    }

    private static BrowserPage open(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
