package org.sluice.api.conference;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.api.media.PrometheusScrape;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporal and spatial layers chosen by subscription preferences, end to end through the client and the real
 * server: a VP8 L1T3 publisher (a 30 fps fake camera) watched at {@code maxFramerate} 15 and 7.5 (Chrome names
 * the temporal layers only in the dependency descriptor; the server drops the upper temporal layers without
 * leaving a gap, so the receivers' decoders never ask for a keyframe), and a VP9 L3T3_KEY (SVC)
 * publisher at 1280x720 watched with {@code maxHeight} 360 (spatial layer 1, 640x360) and then without a limit.
 */
class ConferenceLayersInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);
    /** How long the frame rates are measured over. */
    private static final long MEASURE_MILLIS = 10_000;

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void vp8TemporalLayersFollowMaxFramerate() throws Exception {
        String room = "l1t3-" + Long.toHexString(System.nanoTime());
        // The fake camera's default is 20 fps, whose T0-T1 (10 fps) would not fit maxFramerate 15 within 12-18.
        try (Chromium chromium = Chromium.launch("--use-fake-device-for-media-stream=fps=30")) {
            BrowserPage publisher = publish(chromium, room, 640, 360, "L1T3", "VP8");
            String trackId = trackId(publisher);
            ClientPage all = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "V30"));
            ClientPage fifteen = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "V15"));
            ClientPage seven = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "V7"));
            fifteen.call("await client.setPreferences('%s', { maxFramerate: 15 })".formatted(trackId));
            seven.call("await client.setPreferences('%s', { maxFramerate: 7.5 })".formatted(trackId));

            for (ClientPage viewer : new ClientPage[] {all, fifteen, seven}) {
                ClientPage.Received r = Polling.until(() -> viewer.received(trackId), v -> v.frames() > 20,
                        MEDIA_DEADLINE);
                assertThat(r.frames()).as("%s decodes, %s; %s; publisher %s", viewer.name(), r,
                        inbound(viewer, trackId).encode(), outbound(publisher).encode()).isGreaterThan(20);
            }
            for (ClientPage viewer : new ClientPage[] {fifteen, seven}) {
                // What the viewer decodes by: with the dependency descriptor negotiated, the descriptor the server
                // forwards unchanged; without it (Chromium 156 viewers offer none, its publishers do), the
                // one-byte VP8 payload descriptor, whose frames Chrome chains by sequence number, which the
                // server keeps continuous.
                String answer = (String) viewer.call("return client.pc.remoteDescription.sdp;");
                System.out.println(viewer.name() + " negotiated the dependency descriptor: "
                        + answer.contains("dependency-descriptor-rtp-header-extension"));
            }
            Thread.sleep(3000); // the publisher's layer rates are measured over a second; limits follow on the tick
            JsonObject outStart = outbound(publisher);
            JsonObject fifteenStart = inbound(fifteen, trackId);
            JsonObject sevenStart = inbound(seven, trackId);
            PrometheusScrape metricsStart = PrometheusScrape.of(SERVER.origin());
            System.out.println("publisher outbound at the start: " + outStart.encode());
            Thread.sleep(MEASURE_MILLIS);
            JsonObject outEnd = outbound(publisher);
            JsonObject fifteenEnd = inbound(fifteen, trackId);
            JsonObject sevenEnd = inbound(seven, trackId);
            PrometheusScrape metricsEnd = PrometheusScrape.of(SERVER.origin());
            System.out.println("publisher outbound at the end: " + outEnd.encode());
            double sent = rate(outStart, outEnd, "framesEncoded");
            double fps15 = rate(fifteenStart, fifteenEnd, "framesDecoded");
            double fps7 = rate(sevenStart, sevenEnd, "framesDecoded");
            System.out.printf("publisher encodes %.1f fps (%s); maxFramerate 15 decodes %.1f fps, 7.5 decodes %.1f fps%n",
                    sent, outEnd.getString("scalabilityMode"), fps15, fps7);
            System.out.println("15 fps viewer: " + fifteenStart.encode() + " -> " + fifteenEnd.encode());
            System.out.println("7.5 fps viewer: " + sevenStart.encode() + " -> " + sevenEnd.encode());

            double seconds = (outEnd.getDouble("timestamp") - outStart.getDouble("timestamp")) / 1000.0;
            double layerDrops = metricsEnd.sum("sluice_layer_frames_dropped_total")
                    - metricsStart.sum("sluice_layer_frames_dropped_total");
            System.out.printf("frames dropped by layer selection: %.0f in %.1f s%n", layerDrops, seconds);

            assertThat(outEnd.getString("scalabilityMode")).as("the publisher's encoder mode").isEqualTo("L1T3");
            assertThat(layerDrops).as("frames dropped by layer selection, counted in the metrics")
                    .isGreaterThan(0.7 * ((sent - fps15) + (sent - fps7)) * seconds);
            assertThat(fps15).as("decoded fps with maxFramerate 15 (publisher %.1f fps)", sent).isBetween(12.0, 18.0);
            assertThat(fps7).as("decoded fps with maxFramerate 7.5 (publisher %.1f fps)", sent).isBetween(5.0, 10.0);
            for (JsonObject[] ends : new JsonObject[][] {{fifteenStart, fifteenEnd}, {sevenStart, sevenEnd}}) {
                assertThat(ends[1].getLong("pliCount")).as("PLIs sent while measuring").isEqualTo(ends[0].getLong("pliCount"));
                assertThat(ends[1].getLong("firCount")).as("FIRs sent while measuring").isEqualTo(ends[0].getLong("firCount"));
                assertThat(ends[1].getLong("packetsLost")).as("packets lost while measuring")
                        .isEqualTo(ends[0].getLong("packetsLost"));
            }

            // Lifting the limit brings back the publisher's full rate.
            fifteen.call("await client.setPreferences('%s', { maxFramerate: 0 })".formatted(trackId));
            Thread.sleep(1000);
            JsonObject liftStart = inbound(fifteen, trackId);
            Thread.sleep(4000);
            JsonObject liftEnd = inbound(fifteen, trackId);
            double lifted = rate(liftStart, liftEnd, "framesDecoded");
            System.out.printf("without maxFramerate: %.1f fps%n", lifted);
            assertThat(lifted).as("decoded fps without a limit (publisher %.1f fps)", sent).isGreaterThan(sent * 0.8);
        }
    }

    @Test
    void vp9SpatialLayerFollowsMaxHeight() throws Exception {
        String room = "l3t3-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage publisher = publish(chromium, room, 1280, 720, "L3T3_KEY", "VP9");
            String trackId = trackId(publisher);
            ClientPage viewer = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "V"));
            viewer.call("await client.setPreferences('%s', { maxHeight: 360 })".formatted(trackId));

            long start = System.nanoTime();
            ClientPage.Received limited = Polling.until(() -> viewer.received(trackId),
                    v -> v.frames() > 30 && v.height() == 360, MEDIA_DEADLINE);
            System.out.println("maxHeight 360: " + limited + " after " + millisSince(start) + " ms; "
                    + inbound(viewer, trackId).encode());
            System.out.println("publisher outbound: " + outbound(publisher).encode());
            assertThat(limited.height()).as("frame height with maxHeight 360, %s", limited).isEqualTo(360);
            assertThat(limited.width()).isEqualTo(640);
            assertThat(inbound(viewer, trackId).getString("codec")).isEqualTo("video/VP9");

            // Wait until the publisher sends its top layer, then check the viewer still gets 360 lines.
            JsonObject top = Polling.until(() -> outbound(publisher), o -> o.getInteger("frameHeight", 0) == 720,
                    MEDIA_DEADLINE);
            Thread.sleep(2000);
            ClientPage.Received still = viewer.received(trackId);
            System.out.println("publisher " + top.encode() + "; viewer still " + still);
            assertThat(top.getInteger("frameHeight", 0)).as("the publisher's top layer, %s", top).isEqualTo(720);
            assertThat(still.height()).as("frame height with maxHeight 360 while 720 is sent").isEqualTo(360);
            assertThat(still.frames()).isGreaterThan(limited.frames());

            long lifted = System.nanoTime();
            viewer.call("await client.setPreferences('%s', { maxHeight: 0 })".formatted(trackId));
            ClientPage.Received full = Polling.until(() -> viewer.received(trackId), v -> v.height() == 720,
                    MEDIA_DEADLINE);
            System.out.println("no limit: " + full + " after " + millisSince(lifted) + " ms; "
                    + inbound(viewer, trackId).encode());
            assertThat(full.height()).as("frame height without a limit, %s", full).isEqualTo(720);
            assertThat(full.width()).isEqualTo(1280);
            long framesAt720 = full.frames();
            Thread.sleep(2000);
            assertThat(viewer.received(trackId).frames()).as("decoding goes on at 720p").isGreaterThan(framesAt720);
        }
    }

    /**
     * A page that publishes only a fake camera of {@code width}x{@code height} at 30 fps with the client's
     * {@code scalabilityMode} and {@code codec} options, keeping its resolution under CPU pressure.
     */
    private static BrowserPage publish(Chromium chromium, String room, int width, int height, String mode,
                                       String codec) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
        Object result = page.evaluate("""
                (async () => {
                  const { SluiceClient } = await import('/js/sluice-client.js');
                  const client = await SluiceClient.connect({ room: '%s', name: 'P', autoSubscribe: false });
                  const stream = await navigator.mediaDevices.getUserMedia({
                    video: { width: { exact: %d }, height: { exact: %d }, frameRate: 30 } });
                  const trackId = await client.publishCamera({ stream, scalabilityMode: '%s', codec: '%s' });
                  const sender = client.pc.getSenders().find((s) => s.track && s.track.kind === 'video');
                  const parameters = sender.getParameters();
                  parameters.degradationPreference = 'maintain-resolution';
                  await sender.setParameters(parameters);
                  window.conf = { client, trackId };
                  return { trackId };
                })().catch(e => ({ error: String(e) }))
                """.formatted(room, width, height, mode, codec));
        JsonObject published = (JsonObject) result;
        assertThat(published.getString("error")).as("publishing %s %s", codec, mode).isNull();
        return page;
    }

    private static String trackId(BrowserPage publisher) throws Exception {
        return (String) publisher.evaluate("window.conf.trackId");
    }

    /** The publisher's video outbound-rtp: frames encoded and sent, size, mode, why it is limited. */
    private static JsonObject outbound(BrowserPage publisher) throws Exception {
        return (JsonObject) publisher.evaluate("""
                (async () => {
                  const out = {};
                  (await window.conf.client.pc.getStats()).forEach((s) => {
                    if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
                    Object.assign(out, { framesEncoded: s.framesEncoded, framesSent: s.framesSent,
                      frameWidth: s.frameWidth, frameHeight: s.frameHeight, fps: s.framesPerSecond,
                      scalabilityMode: s.scalabilityMode, encoder: s.encoderImplementation,
                      limitation: s.qualityLimitationReason, bytesSent: s.bytesSent, pliCount: s.pliCount,
                      firCount: s.firCount, nackCount: s.nackCount, keyFramesEncoded: s.keyFramesEncoded,
                      timestamp: s.timestamp });
                  });
                  return out;
                })()
                """);
    }

    /** A viewer's inbound-rtp of {@code trackId}: frames, keyframe requests, losses, size, codec. */
    private static JsonObject inbound(ClientPage viewer, String trackId) throws Exception {
        return (JsonObject) viewer.call("""
                const identifier = window.conf.receivers['%s'];
                const report = await client.pc.getStats();
                const out = {};
                report.forEach((s) => {
                  if (s.type !== 'inbound-rtp' || s.trackIdentifier !== identifier) return;
                  Object.assign(out, { framesDecoded: s.framesDecoded, framesReceived: s.framesReceived,
                    framesDropped: s.framesDropped, keyFramesDecoded: s.keyFramesDecoded, pliCount: s.pliCount,
                    firCount: s.firCount, nackCount: s.nackCount, packetsLost: s.packetsLost,
                    packetsReceived: s.packetsReceived, frameWidth: s.frameWidth, frameHeight: s.frameHeight,
                    fps: s.framesPerSecond, timestamp: s.timestamp,
                    codec: report.get(s.codecId)?.mimeType });
                });
                return out;""".formatted(trackId));
    }

    /** Per second of {@code field} between two samples (their stats timestamps, milliseconds). */
    private static double rate(JsonObject from, JsonObject to, String field) {
        double seconds = (to.getDouble("timestamp") - from.getDouble("timestamp")) / 1000.0;
        return (to.getLong(field, 0L) - from.getLong(field, 0L)) / seconds;
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
