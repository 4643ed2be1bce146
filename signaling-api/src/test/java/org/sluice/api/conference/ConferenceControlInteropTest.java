package org.sluice.api.conference;

import org.sluice.api.media.InteropServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;

/**
 * The conferencing controls end to end, driven through the client module in Chromium against the real server and
 * measured from the receiving page's {@code getStats()}: mute and unmute, unpublish and republish, choosing what to
 * receive with {@code autoSubscribe: false}, pausing a received track and capping a simulcast track's layer.
 */
class ConferenceControlInteropTest {

    private static final Duration EVENT = Duration.ofSeconds(10);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    private static String room(String what) {
        return what + "-" + Long.toHexString(System.nanoTime());
    }

    /** What a test does once A publishes in a fresh room and A's camera flows to B. */
    @FunctionalInterface
    private interface CameraScenario {
        void run(String room, ClientPage a, ClientPage b, String camera) throws Exception;
    }

    /** {@link #withCameraFlowing(String, Function, String, CameraScenario)} with A publishing the defaults. */
    private static void withCameraFlowing(String what, CameraScenario scenario) throws Exception {
        withCameraFlowing(what, room -> Join.publishing(room, "A"), "before " + what, scenario);
    }

    /**
     * In Chromium, joins A ({@code publisher} of the room) and B (watching) in a fresh room named after
     * {@code what}, checks A's camera flows to B (reported as {@code flowing}), then runs {@code scenario}.
     */
    private static void withCameraFlowing(String what, Function<String, Join> publisher, String flowing,
                                          CameraScenario scenario) throws Exception {
        String room = room(what);
        try (Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, SERVER.origin(), publisher.apply(room));
            ClientPage b = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "B"));
            String camera = a.camera();
            report(flowing, TrackFlow.assertFlowing(b, camera, true, flowing));
            scenario.run(room, a, b, camera);
        }
    }

    @Test
    void muteStopsATracksPacketsAndUnmuteBringsThemBack() throws Exception {
        withCameraFlowing("mute", (room, a, b, camera) -> {
            TrackFlow.assertFlowing(b, a.microphone(), false, "before mute");

            a.call("await client.setMuted('" + camera + "', true)");
            JsonObject muted = b.awaitEvent("trackmuted", camera, EVENT);
            assertThat(muted.getBoolean("muted")).isTrue();
            assertThat(muted.getString("participantId")).isEqualTo(a.id());
            report("camera muted", TrackFlow.assertStopped(b, camera, "camera muted"));
            report("microphone while camera muted", TrackFlow.assertFlowing(b, a.microphone(), false,
                    "the microphone is not muted"));

            a.call("await client.setMuted('" + camera + "', false)");
            JsonObject unmuted = b.awaitEvent("trackmuted", camera, 1, EVENT);
            assertThat(unmuted.getBoolean("muted")).isFalse();
            report("camera unmuted", TrackFlow.assertFlowing(b, camera, true, "after unmute"));

            // The microphone too: its audio stops at B and comes back.
            a.call("await client.setMuted('" + a.microphone() + "', true)");
            assertThat(b.awaitEvent("trackmuted", a.microphone(), EVENT).getBoolean("muted")).isTrue();
            report("microphone muted", TrackFlow.assertStopped(b, a.microphone(), "microphone muted"));
            a.call("await client.setMuted('" + a.microphone() + "', false)");
            report("microphone unmuted", TrackFlow.assertFlowing(b, a.microphone(), false, "after unmute"));
            assertNoErrors(a, b);
        });
    }

    @Test
    void unpublishStopsATrackAndRepublishingSendsANewOne() throws Exception {
        withCameraFlowing("unpublish", (room, a, b, camera) -> {
            a.call("await client.unpublish('" + camera + "')");
            JsonObject unpublished = b.awaitEvent("trackunpublished", camera, EVENT);
            assertThat(unpublished.getString("participantId")).isEqualTo(a.id());
            b.awaitEvent("trackended", camera, EVENT);
            assertThat(b.events("trackended", camera)).as("one trackended for the camera").hasSize(1);
            assertThat(a.run("return client.self.tracks.size")).as("A's own tracks: the microphone").isEqualTo(1);
            report("camera unpublished", TrackFlow.assertStopped(b, camera, "camera unpublished"));
            assertForwardsOnly(room, b, a.microphone(), "after unpublishing the camera");
            TrackFlow.assertFlowing(b, a.microphone(), false, "the microphone stays published");
            assertThat(b.run("return client.participants.get('" + a.id() + "').tracks.has('" + camera + "')"))
                    .isEqualTo(false);

            String again = (String) a.call("return await client.publishCamera({ width: " + ClientPage.WIDTH
                    + ", height: " + ClientPage.HEIGHT + " })");
            assertThat(again).as("the republished camera's track id").isNotEqualTo(camera);
            b.awaitEvent("trackpublished", again, EVENT);
            b.awaitEvent("track", again, EVENT);
            report("camera republished as " + again, TrackFlow.assertFlowing(b, again, true, "after republish"));
            assertThat(b.received(again).width()).as("the new camera's frame width").isEqualTo(ClientPage.WIDTH);
            assertThat(b.events("track", again)).as("one track event for the new camera").hasSize(1);
            for (ClientPage page : new ClientPage[] {a, b}) {
                assertThat(page.run("return client.pc.signalingState")).as("%s renegotiated", page.name())
                        .isEqualTo("stable");
            }
            assertNoErrors(a, b);
        });
    }

    @Test
    void withoutAutoSubscribeOnlyWhatIsSubscribedArrives() throws Exception {
        String room = room("manual");
        try (Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, SERVER.origin(), Join.publishing(room, "A"));
            ClientPage c = ClientPage.join(chromium, SERVER.origin(),
                    Join.watching(room, "C").withAutoSubscribe(false));
            assertThat(c.run("return client.participants.get('" + a.id() + "').tracks.size")).isEqualTo(2);
            Thread.sleep(2000);
            assertThat(c.totalPacketsReceived()).as("nothing arrives before subscribing").isZero();
            assertThat(c.events("track", null)).isEmpty();

            c.call("await client.subscribe(['" + a.camera() + "'])");
            c.awaitEvent("track", a.camera(), EVENT);
            report("subscribed camera", TrackFlow.assertFlowing(c, a.camera(), true, "after subscribe"));
            assertThat(c.received(a.microphone()).packets()).as("the microphone was not subscribed").isZero();

            c.call("await client.unsubscribe(['" + a.camera() + "'])");
            report("unsubscribed camera", TrackFlow.assertStopped(c, a.camera(), "after unsubscribe"));
            assertForwardsOnly(room, c, null, "after unsubscribing");
            c.awaitEvent("trackended", a.camera(), EVENT);
            assertNoErrors(a, c);
        }
    }

    @Test
    void pausingATrackStopsItsPacketsAndResumingDecodesAgain() throws Exception {
        withCameraFlowing("pause", (room, a, b, camera) -> {
            b.call("await client.setPreferences('" + camera + "', { paused: true })");
            report("paused", TrackFlow.assertStopped(b, camera, "paused"));
            TrackFlow.assertFlowing(b, a.microphone(), false, "the microphone is not paused");

            b.call("await client.setPreferences('" + camera + "', { paused: false })");
            report("resumed", TrackFlow.assertFlowing(b, camera, true, "resumed"));
            assertNoErrors(a, b);
        });
    }

    @Test
    void capingASimulcastTracksHeightSwitchesToTheLowLayerAndBack() throws Exception {
        int width = 960;
        int height = 540;
        withCameraFlowing("simulcast", room -> new Join(room, "A", null, true, false, width, height, true), "simulcast",
                (room, a, b, camera) -> {
            // What Chrome actually sends: the rids with frames, and their heights (960x540 gives all three).
            JsonObject layers = Polling.until(() -> sentLayers(a), l -> l.size() == 3, Duration.ofSeconds(20));
            System.out.println("simulcast " + width + "x" + height + ": layers sent " + layers.encode());
            assertThat(layers.fieldNames()).as("Chrome sends q, h and f: %s", layers).containsExactlyInAnyOrder("q", "h", "f");
            // The declared layers B sees; capping at the lowest one's height selects it.
            JsonArray declared = (JsonArray) b.call("return client.participants.get('" + a.id() + "').tracks.get('"
                    + camera + "').info.layers");
            System.out.println("declared layers " + declared.encode());
            int lowHeight = declared.getJsonObject(0).getInteger("height");
            assertThat(declared.getJsonObject(0).getString("rid")).isEqualTo("q");

            // Heights compared with what Chrome sends at that moment (it may adapt resolution under CPU load).
            LayerView full = awaitLayer(a, b, camera, "f");
            System.out.println("uncapped: B decodes " + full);
            assertThat(full.received().height()).as("B receives the top layer: %s", full).isEqualTo(full.sentHeight());

            b.call("await client.setPreferences('" + camera + "', { maxHeight: " + lowHeight + " })");
            long capped = System.nanoTime();
            LayerView lowLayer = awaitLayer(a, b, camera, "q");
            System.out.println("maxHeight " + lowHeight + ": B decodes " + lowLayer + " after "
                    + Duration.ofNanos(System.nanoTime() - capped).toMillis() + " ms");
            assertThat(lowLayer.received().height()).as("B receives the low layer: %s", lowLayer)
                    .isEqualTo(lowLayer.sentHeight()).isLessThan(full.sentHeight());
            TrackFlow.assertFlowing(b, camera, true, "capped");
            LayerView stillLow = new LayerView(b.received(camera), sentLayers(a).getInteger("q", -1));
            assertThat(stillLow.received().height()).as("still the low layer: %s", stillLow)
                    .isEqualTo(stillLow.sentHeight());

            // A cap between h and f selects h, the highest layer that fits.
            int midCap = declared.getJsonObject(1).getInteger("height") + 10;
            b.call("await client.setPreferences('" + camera + "', { maxHeight: " + midCap + " })");
            LayerView middle = awaitLayer(a, b, camera, "h");
            System.out.println("maxHeight " + midCap + ": B decodes " + middle);
            assertThat(middle.received().height()).as("B receives the middle layer: %s", middle)
                    .isEqualTo(middle.sentHeight());

            b.call("await client.setPreferences('" + camera + "', { maxHeight: 0 })");
            long uncapped = System.nanoTime();
            LayerView back = awaitLayer(a, b, camera, "f");
            System.out.println("cap removed: B decodes " + back + " after "
                    + Duration.ofNanos(System.nanoTime() - uncapped).toMillis() + " ms");
            assertThat(back.received().height()).as("B is back on the top layer: %s", back)
                    .isEqualTo(back.sentHeight());
            assertNoErrors(a, b);
        });
    }

    /** What a subscriber decodes next to the height the publisher sends one layer at. */
    private record LayerView(ClientPage.Received received, int sentHeight) {
    }

    /** Waits (bounded) until the subscriber's frame height equals the height the publisher sends {@code rid} at. */
    private static LayerView awaitLayer(ClientPage publisher, ClientPage subscriber, String trackId, String rid)
            throws Exception {
        return Polling.until(() -> new LayerView(subscriber.received(trackId), sentLayers(publisher).getInteger(rid, -1)),
                v -> v.received().height() == v.sentHeight(), Duration.ofSeconds(30));
    }

    /** The publisher's outbound simulcast layers that have encoded frames: rid → frameHeight. */
    private static JsonObject sentLayers(ClientPage publisher) throws Exception {
        return (JsonObject) publisher.call("""
                const out = {};
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid && s.framesEncoded > 0 && s.frameHeight) {
                    out[s.rid] = s.frameHeight;
                  }
                });
                return out;""");
    }

    /**
     * Over 3 s, the server forwards to {@code page} no more packets than {@code page} receives of {@code onlyTrack}
     * (nothing at all if null): a stopped track is stopped at the server, not just unseen. The slack (5 packets
     * plus 10 %) covers the two counters not being read at the same instant; a 320x180 camera adds some 30 packets
     * a second, far above it.
     */
    private static void assertForwardsOnly(String room, ClientPage page, String onlyTrack, String what) throws Exception {
        long serverBefore = ServerCounters.packetsOut(SERVER.server(), room, page.id());
        long pageBefore = onlyTrack == null ? 0 : page.received(onlyTrack).packets();
        Thread.sleep(3000);
        long serverDelta = ServerCounters.packetsOut(SERVER.server(), room, page.id()) - serverBefore;
        long pageDelta = onlyTrack == null ? 0 : page.received(onlyTrack).packets() - pageBefore;
        System.out.println(what + ": in 3 s the server forwarded " + serverDelta + " packets to " + page.name()
                + ", which received " + pageDelta + " of " + onlyTrack);
        assertThat(serverDelta).as("%s: packets the server forwards to %s", what, page.name())
                .isLessThanOrEqualTo(onlyTrack == null ? 0 : pageDelta + 5 + pageDelta / 10);
    }

    private static void report(String what, TrackFlow.Samples samples) {
        System.out.println(what + ": " + samples);
    }

    private static void assertNoErrors(ClientPage... pages) throws Exception {
        for (ClientPage page : pages) {
            JsonArray errors = page.events("error", null);
            errors.addAll(page.events("removed", null));
            assertThat(errors).as("%s: error or removed events", page.name()).isEmpty();
        }
    }
}
