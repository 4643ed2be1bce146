package org.sluice.api.conference;

import org.sluice.api.media.InteropServer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;

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

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void aSubscriberChoosesTheSimulcastLayer() throws Exception {
        String room = "simulcast-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage publisher = ClientPage.join(chromium, SERVER.origin(),
                    new Join(room, "P", null, true, false, WIDTH, HEIGHT, true));
            String trackId = publisher.camera();

            ClientPage viewer = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "V"));
            // Start on the lowest layer: Chromium sends the top layer only once its bandwidth estimate has ramped up.
            viewer.call("await client.setPreferences('" + trackId + "', { maxLayer: 'q' })");
            JsonArray layers = (JsonArray) viewer.call("return client.participants.get('" + publisher.id()
                    + "').tracks.get('" + trackId + "').info.layers");
            System.out.println("layers as the viewer sees them: " + layers.encode());
            assertThat(layers).hasSize(3);
            assertThat(layers.getJsonObject(0).getString("rid")).isEqualTo("q");
            assertThat(layers.getJsonObject(0).getInteger("width")).isEqualTo(WIDTH / 4);
            assertThat(layers.getJsonObject(2).getString("rid")).isEqualTo("f");
            assertThat(layers.getJsonObject(2).getInteger("height")).isEqualTo(HEIGHT);

            long joined = System.nanoTime();
            ClientPage.Received first = Polling.until(() -> viewer.received(trackId), v -> v.frames() > 30, MEDIA_DEADLINE);
            System.out.println("viewer decodes: " + first + " after "
                    + Duration.ofNanos(System.nanoTime() - joined).toMillis() + " ms");
            System.out.println("viewer inbound: " + rtp(viewer, "inbound-rtp"));
            System.out.println("publisher outbound: " + rtp(publisher, "outbound-rtp"));
            assertThat(first.width()).as("the lowest layer is forwarded, %s", first).isEqualTo(WIDTH / 4);

            for (String[] step : new String[][] {{"h", String.valueOf(WIDTH / 2)}, {"f", String.valueOf(WIDTH)},
                    {"q", String.valueOf(WIDTH / 4)}}) {
                long start = System.nanoTime();
                viewer.call("await client.setPreferences('%s', { maxLayer: '%s' })".formatted(trackId, step[0]));
                int width = Integer.parseInt(step[1]);
                ClientPage.Received now = Polling.until(() -> viewer.received(trackId), v -> v.width() == width,
                        MEDIA_DEADLINE);
                System.out.println("maxLayer " + step[0] + ": " + now + " after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                if (now.width() != width) {
                    System.out.println("publisher outbound: " + rtp(publisher, "outbound-rtp"));
                }
                assertThat(now.width()).as("frame width with maxLayer %s, %s", step[0], now).isEqualTo(width);
            }
        }
    }

    /** The page's RTP stats of one type, the fields that explain a slow start. */
    private static Object rtp(ClientPage page, String type) throws Exception {
        return page.call("""
                const out = [];
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type !== '%s' || s.kind !== 'video') return;
                  out.push({ rid: s.rid, ssrc: s.ssrc, packets: s.packetsReceived ?? s.packetsSent, lost: s.packetsLost,
                    framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,
                    keyFramesDecoded: s.keyFramesDecoded, framesEncoded: s.framesEncoded, framesSent: s.framesSent,
                    fps: s.framesPerSecond, pli: s.pliCount, nack: s.nackCount, fir: s.firCount,
                    limitation: s.qualityLimitationReason, width: s.frameWidth, jitter: s.jitter });
                });
                return JSON.stringify(out);""".formatted(type));
    }
}
