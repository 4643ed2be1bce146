package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Browser;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.Firefox;
import org.sluice.api.browser.InteropPreconditions;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WHIP and WHEP with Firefox (ESR, over WebDriver BiDi) on either side, through the server's own {@code /js/whip.js},
 * {@code /js/whep.js} and {@code /js/negotiate.js}: Firefox publishes one layer and watches it; Firefox publishes
 * three simulcast layers and both a Firefox and a Chromium viewer decode a layer that arrives; Chromium publishes
 * simulcast and Firefox watches; a Firefox viewer restarts ICE over a WHEP PATCH (RFC 9725 §4.4) and keeps decoding.
 * One Firefox and one Chromium serve the whole class; each scenario ends its
 * connections before the next so the two cores are not shared by more than one call.
 */
class FirefoxWhipWhepInteropTest {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    /** Chromium sends all three simulcast layers from this capture size up (see {@link SimulcastInteropTest}). */
    private static final int CHROMIUM_SIMULCAST_WIDTH = 960;
    private static final int CHROMIUM_SIMULCAST_HEIGHT = 540;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(45);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    private static Firefox firefox;
    private static Chromium chromium;

    @BeforeAll
    static void launch() throws Exception {
        InteropPreconditions.requireFirefox();
        firefox = Firefox.launch();
        chromium = Chromium.launch();
    }

    @AfterAll
    static void close() {
        if (firefox != null) {
            firefox.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void firefoxWatchesFirefoxPublishingOneLayer() throws Exception {
        String room = "firefox-one-layer";
        BrowserPage viewer = open(firefox);
        MediaPages.watch(viewer, room);
        BrowserPage publisher = open(firefox);
        MediaPages.publish(publisher, room, WIDTH, HEIGHT);

        JsonObject stats = awaitDecoding(viewer, s -> s.getLong("frameWidth") == WIDTH && s.getLong("audioPackets") > 50);
        System.out.println("Firefox viewer of a Firefox publisher: " + stats.encode());
        assertPlaying("Firefox viewer", stats);
        assertThat(stats.getLong("frameWidth")).as("width, %s", stats).isEqualTo(WIDTH);
        assertThat(stats.getLong("frameHeight")).as("height, %s", stats).isEqualTo(HEIGHT);
        assertThat(stats.getLong("audioPackets")).as("audio packets, %s", stats).isGreaterThan(50);
        end(publisher, viewer);
    }

    @Test
    void firefoxAndChromiumWatchAFirefoxSimulcastPublisher() throws Exception {
        String room = "firefox-simulcast";
        BrowserPage firefoxViewer = open(firefox);
        MediaPages.watch(firefoxViewer, room);
        BrowserPage chromiumViewer = open(chromium);
        MediaPages.watch(chromiumViewer, room);
        BrowserPage publisher = open(firefox);
        MediaPages.publishSimulcast(publisher, room, WIDTH, HEIGHT);

        String offer = (String) publisher.evaluate("window.publisher.pc.localDescription.sdp");
        String answer = (String) publisher.evaluate("window.publisher.pc.remoteDescription.sdp");
        System.out.println("Firefox simulcast offer: " + offer);
        System.out.println("answer: " + answer);
        assertThat(offer).as("Firefox offers three rids").contains("a=rid:q send").contains("a=rid:h send")
                .contains("a=rid:f send");
        assertThat(answer).as("the answer takes them").contains("a=rid:q recv").contains("a=rid:h recv")
                .contains("a=rid:f recv");

        JsonObject atFirefox = awaitDecoding(firefoxViewer, s -> true);
        JsonObject atChromium = awaitDecoding(chromiumViewer, s -> true);
        JsonObject layers = MediaPages.publisherVideoLayers(publisher);
        System.out.println("Firefox simulcast layers: " + layers.encode());
        System.out.println("Firefox viewer: " + atFirefox.encode());
        System.out.println("Chromium viewer: " + atChromium.encode());
        assertPlaying("Firefox viewer", atFirefox);
        assertPlaying("Chromium viewer", atChromium);
        assertThat(sendingRids(layers)).as("Firefox sends more than one layer, %s", layers).hasSizeGreaterThan(1);
        assertThat(layerWidths(layers)).as("the Firefox viewer's frames are one of the layers sent, %s", atFirefox)
                .contains(atFirefox.getLong("frameWidth"));
        assertThat(layerWidths(layers)).as("the Chromium viewer's frames are one of the layers sent, %s", atChromium)
                .contains(atChromium.getLong("frameWidth"));
        end(publisher, firefoxViewer, chromiumViewer);
    }

    @Test
    void firefoxWatchesAChromiumSimulcastPublisher() throws Exception {
        String room = "chromium-simulcast";
        BrowserPage viewer = open(firefox);
        MediaPages.watch(viewer, room);
        BrowserPage publisher = open(chromium);
        MediaPages.publishSimulcast(publisher, room, CHROMIUM_SIMULCAST_WIDTH, CHROMIUM_SIMULCAST_HEIGHT);

        JsonObject stats = awaitDecoding(viewer, s -> s.getLong("frameWidth") == CHROMIUM_SIMULCAST_WIDTH);
        JsonObject layers = MediaPages.publisherVideoLayers(publisher);
        System.out.println("Chromium simulcast layers: " + layers.encode());
        System.out.println("Firefox viewer of a Chromium simulcast publisher: " + stats.encode());
        assertPlaying("Firefox viewer", stats);
        assertThat(layerWidths(layers)).as("the viewer's frames are one of the layers sent, %s", stats)
                .contains(stats.getLong("frameWidth"));
        end(publisher, viewer);
    }

    @Test
    void firefoxViewerRestartsIceOverPatchAndKeepsDecoding() throws Exception {
        String room = "firefox-ice-restart";
        BrowserPage viewer = open(firefox);
        MediaPages.watch(viewer, room);
        BrowserPage publisher = open(firefox);
        MediaPages.publish(publisher, room, WIDTH, HEIGHT);

        JsonObject before = awaitDecoding(viewer, s -> true);
        assertPlaying("Firefox viewer before the restart", before);
        JsonObject pairsBefore = succeededPairs(viewer);
        System.out.println("Firefox pairs before the restart: " + pairsBefore.encode());

        JsonObject restart = MediaPages.iceRestart(viewer, "window.viewer");
        System.out.println("Firefox restart: " + restart.encode());
        assertThat(restart.getString("error")).as("restart in the page, %s", restart).isNull();
        assertThat(restart.getInteger("status")).as("PATCH status, %s", restart).isEqualTo(200);
        assertThat(restart.getString("contentType")).startsWith("application/trickle-ice-sdpfrag");
        assertThat(restart.getString("newLocalUfrag")).as("Firefox's new ufrag, %s", restart).isNotNull()
                .isNotEqualTo(restart.getString("oldLocalUfrag"));
        assertThat(restart.getString("newRemoteUfrag")).as("Sluice's new ufrag, %s", restart).isNotNull()
                .isNotEqualTo(restart.getString("oldRemoteUfrag"));
        assertThat(restart.getString("sentFragment")).as("the PATCH carries Firefox's new loopback candidates")
                .containsPattern("a=candidate:\\S+ 1 (udp|UDP) \\d+ 127\\.0\\.0\\.1 ");
        assertThat(restart.getBoolean("applied")).as("the 200 fragment applied, %s", restart).isTrue();

        // Firefox's checks with the new credentials succeed against the ICE-lite server: the old pairs are gone and
        // the selected pair is a new one, answered, from one of the candidates PATCHed.
        JsonObject pairsAfter = MediaPages.awaitStats(() -> succeededPairs(viewer),
                p -> selectedNewPair(pairsBefore, p) != null, Duration.ofSeconds(20));
        System.out.println("Firefox pairs after the restart: " + pairsAfter.encode());
        JsonObject selected = selectedNewPair(pairsBefore, pairsAfter);
        assertThat(selected).as("a selected pair of the new generation, before %s after %s", pairsBefore, pairsAfter)
                .isNotNull();
        assertThat(selected.getLong("responsesReceived")).as("checks answered on the new pair").isPositive();
        assertThat(restart.getString("sentFragment")).as("the new pair's local candidate was PATCHed")
                .containsPattern("a=candidate:\\S+ 1 (udp|UDP) \\d+ \\S+ " + selected.getLong("localPort") + " typ");

        long framesAtRestart = MediaPages.viewerStats(viewer).getLong("framesDecoded");
        JsonObject after = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                s -> s.getLong("framesDecoded") >= framesAtRestart + 60, MEDIA_DEADLINE);
        System.out.println("Firefox viewer after the restart: " + after.encode());
        assertThat(after.getLong("framesDecoded")).as("frames decoded after the restart, %s", after)
                .isGreaterThanOrEqualTo(framesAtRestart + 60);
        assertThat(after.getString("connectionState")).isEqualTo("connected");
        assertThat(after.getString("signalingState")).isEqualTo("stable");
        assertThat((String) viewer.evaluate("window.viewer.pc.localDescription.sdp"))
                .as("the local description carries the new ufrag")
                .contains("a=ice-ufrag:" + restart.getString("newLocalUfrag"));
        end(publisher, viewer);
    }

    /**
     * Firefox's succeeded candidate pairs, keyed by id: {@code {responsesReceived, nominated, selected,
     * localPort}}, read from the pairs themselves: Firefox marks its selected pair with {@code selected}.
     */
    private static JsonObject succeededPairs(BrowserPage page) throws Exception {
        return (JsonObject) page.evaluate("""
                (async () => {
                  const report = await window.viewer.pc.getStats();
                  const out = {};
                  report.forEach(s => {
                    if (s.type !== 'candidate-pair' || s.state !== 'succeeded') return;
                    const local = report.get(s.localCandidateId) || {};
                    out[s.id] = { responsesReceived: s.responsesReceived || 0, nominated: !!s.nominated,
                                  selected: !!s.selected, localPort: local.port || 0,
                                  localCandidateId: s.localCandidateId || '' };
                  });
                  return out;
                })()
                """);
    }

    /** The selected, nominated, answered pair of {@code after} that was not among {@code before}, or null. */
    private static JsonObject selectedNewPair(JsonObject before, JsonObject after) {
        return after.fieldNames().stream().filter(id -> !before.containsKey(id)).map(after::getJsonObject)
                .filter(p -> p.getBoolean("selected") && p.getBoolean("nominated") && p.getLong("responsesReceived") > 0)
                .findFirst().orElse(null);
    }

    private static JsonObject awaitDecoding(BrowserPage viewer, java.util.function.Predicate<JsonObject> more)
            throws Exception {
        return MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                s -> s.getLong("framesDecoded") >= 60 && s.getLong("frameWidth") > 0 && more.test(s), MEDIA_DEADLINE);
    }

    private static void assertPlaying(String who, JsonObject stats) {
        assertThat(stats.getLong("framesDecoded")).as("%s decodes frames, %s", who, stats).isGreaterThanOrEqualTo(60);
        assertThat(stats.getLong("frameWidth")).as("%s frame width, %s", who, stats).isGreaterThan(0);
        assertThat(stats.getString("connectionState")).as("%s connection", who).isEqualTo("connected");
    }

    private static List<String> sendingRids(JsonObject layers) {
        return layers.fieldNames().stream().filter(rid -> layers.getJsonObject(rid).getLong("framesSent") > 0)
                .sorted().toList();
    }

    private static List<Long> layerWidths(JsonObject layers) {
        return layers.fieldNames().stream().map(rid -> layers.getJsonObject(rid).getLong("frameWidth")).toList();
    }

    /**
     * Stops the publisher's capture (a browser's fake camera left open at one size refuses another exact size to
     * the next scenario), closes it (DELETE) and the viewers' connections, so the next scenario has the CPU.
     */
    private static void end(BrowserPage publisher, BrowserPage... viewers) throws Exception {
        publisher.evaluate("(async () => { const p = window.publisher; "
                + "p.pc.getSenders().forEach(s => { if (s.track) s.track.stop(); }); if (p.stop) { await p.stop(); } else { "
                + "p.pc.close(); await fetch(p.resource, { method: 'DELETE' }); } return true; })()");
        for (BrowserPage viewer : viewers) {
            viewer.evaluate("(async () => { await window.viewer.stop(); return true; })()");
        }
    }

    private static BrowserPage open(Browser browser) throws Exception {
        BrowserPage page = browser.openPage();
        page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
        return page;
    }
}
