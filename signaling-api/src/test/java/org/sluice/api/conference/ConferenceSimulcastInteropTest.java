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
 * A participant publishes its camera as simulcast through the client ({@code publishCamera({simulcast: true})}:
 * rids q, h, f at ¼, ½ and full size, declared as the track's {@code layers}); a receive-only participant sees the
 * layers in the track info, decodes the video, and {@code setPreferences(maxLayer)} switches the layer it gets.
 */
class ConferenceSimulcastInteropTest {

    /** Large enough for Chromium to send all three layers. */
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);

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
    void aSubscriberChoosesTheSimulcastLayer() throws Exception {
        String room = "simulcast-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage publisher = open(chromium);
            Object trackId = publisher.evaluate("""
                    (async () => {
                      const { SluiceClient } = await import('/js/sluice-client.js');
                      const stream = await navigator.mediaDevices.getUserMedia({
                        video: { width: { exact: %d }, height: { exact: %d }, frameRate: 30 }, audio: false });
                      const client = await SluiceClient.connect({ room: '%s', name: 'P' });
                      window.conf = { client };
                      return await client.publishCamera({ stream, simulcast: true, width: %d, height: %d });
                    })().catch(e => 'error: ' + e)""".formatted(WIDTH, HEIGHT, room, WIDTH, HEIGHT));
            assertThat(String.valueOf(trackId)).as("published").doesNotStartWith("error");

            BrowserPage viewer = open(chromium);
            JsonArray layers = (JsonArray) viewer.evaluate("""
                    (async () => {
                      const { SluiceClient } = await import('/js/sluice-client.js');
                      const client = await SluiceClient.connect({ room: '%s', name: 'V' });
                      window.conf = { client };
                      client.addEventListener('track', (e) => {
                        const video = document.createElement('video');
                        video.muted = true; video.autoplay = true; video.playsInline = true;
                        video.srcObject = new MediaStream([e.detail.track]);
                        document.body.appendChild(video);
                      });
                      const p = [...client.participants.values()][0];
                      // Start on the lowest layer: Chromium sends the top layer only once its bandwidth
                      // estimate has ramped up.
                      await client.setPreferences('%s', { maxLayer: 'q' });
                      return p.tracks.get('%s').info.layers;
                    })()""".formatted(room, trackId, trackId));
            System.out.println("layers as the viewer sees them: " + layers.encode());
            assertThat(layers).hasSize(3);
            assertThat(layers.getJsonObject(0).getString("rid")).isEqualTo("q");
            assertThat(layers.getJsonObject(0).getInteger("width")).isEqualTo(WIDTH / 4);
            assertThat(layers.getJsonObject(2).getString("rid")).isEqualTo("f");
            assertThat(layers.getJsonObject(2).getInteger("height")).isEqualTo(HEIGHT);

            long joined = System.nanoTime();
            JsonObject first = ConferencePages.await(() -> video(viewer), v -> v.getLong("frames") > 30, MEDIA_DEADLINE);
            System.out.println("viewer decodes: " + first.encode() + " after "
                    + Duration.ofNanos(System.nanoTime() - joined).toMillis() + " ms");
            System.out.println("viewer inbound: " + rtp(viewer, "inbound-rtp"));
            System.out.println("publisher outbound: " + rtp(publisher, "outbound-rtp"));
            assertThat(first.getLong("width")).as("the lowest layer is forwarded, %s", first).isEqualTo(WIDTH / 4);

            for (String[] step : new String[][] {{"h", String.valueOf(WIDTH / 2)}, {"f", String.valueOf(WIDTH)},
                    {"q", String.valueOf(WIDTH / 4)}}) {
                long start = System.nanoTime();
                Object set = viewer.evaluate("window.conf.client.setPreferences('%s', { maxLayer: '%s' })"
                        .formatted(trackId, step[0]) + ".then(() => 'ok', e => 'error: ' + e)");
                assertThat(set).isEqualTo("ok");
                long width = Long.parseLong(step[1]);
                JsonObject now = ConferencePages.await(() -> video(viewer), v -> v.getLong("width") == width, MEDIA_DEADLINE);
                System.out.println("maxLayer " + step[0] + ": " + now.encode() + " after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                if (now.getLong("width") != width) {
                    System.out.println("publisher outbound: " + rtp(publisher, "outbound-rtp"));
                }
                assertThat(now.getLong("width")).as("frame width with maxLayer %s, %s", step[0], now).isEqualTo(width);
            }
        }
    }

    /** The viewer's received video: frames decoded and the current frame width. */
    private static JsonObject video(BrowserPage page) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const out = { frames: 0, width: 0, height: 0 };
                  const pc = window.conf.client.pc;
                  if (!pc) return out;
                  (await pc.getStats()).forEach((s) => {
                    if (s.type === 'inbound-rtp' && s.kind === 'video') {
                      out.frames = s.framesDecoded || 0; out.width = s.frameWidth || 0; out.height = s.frameHeight || 0;
                    }
                  });
                  return out;
                })()""");
    }

    /** The page's RTP stats of one type, the fields that explain a slow start. */
    private static Object rtp(BrowserPage page, String type) throws Exception {
        return page.evaluate("""
                (async () => {
                  const out = [];
                  (await window.conf.client.pc.getStats()).forEach((s) => {
                    if (s.type !== '%s' || s.kind !== 'video') return;
                    out.push({ rid: s.rid, ssrc: s.ssrc, packets: s.packetsReceived ?? s.packetsSent, lost: s.packetsLost,
                      framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,
                      keyFramesDecoded: s.keyFramesDecoded, framesEncoded: s.framesEncoded, framesSent: s.framesSent,
                      fps: s.framesPerSecond, pli: s.pliCount, nack: s.nackCount, fir: s.firCount,
                      limitation: s.qualityLimitationReason, width: s.frameWidth, jitter: s.jitter });
                  });
                  return JSON.stringify(out);
                })()""".formatted(type));
    }

    private static BrowserPage open(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(server.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
