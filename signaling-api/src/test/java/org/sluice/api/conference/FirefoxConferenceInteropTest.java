package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.Firefox;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.core.conference.ParticipantStats;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firefox (ESR, over WebDriver BiDi) in conferences with Chromium. The demo at {@code /} with one Firefox and two
 * Chromium pages: every page plays and hears the other two (a screenshot of the Firefox page is kept in
 * {@code target/screenshots/conference-firefox.png}); a Chromium page joins late and every page plays and hears the
 * other three; it leaves and the three keep playing. Then, through the conferencing client
 * ({@code /js/sluice-client.js}) directly, Firefox and Chromium receive each other; Firefox mutes, unmutes,
 * unpublishes and republishes its camera and Chromium sees each step; Firefox's socket drops and it resumes within the
 * grace period while media keeps flowing both ways. Last, both publish a simulcast camera (rids q, h, f) and each
 * decodes the other's.
 */
class FirefoxConferenceInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(30);
    private static final Duration EVENT = Duration.ofSeconds(10);
    private static final int SIMULCAST_WIDTH = 640;
    private static final int SIMULCAST_HEIGHT = 360;
    private static final Duration DEMO_DEADLINE = Duration.ofSeconds(45);
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "conference-firefox.png");
    /** How long the test holds Firefox's resume back after dropping its socket. */
    private static final int OUTAGE_MILLIS = 6000;

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @BeforeAll
    static void firefoxInstalled() {
        InteropPreconditions.requireFirefox();
    }

    @Test
    void demoPagesOfOneFirefoxAndTwoChromiumUsersPlayAndHearEachOtherThroughALateJoinAndALeave() throws Exception {
        String room = "demo-firefox-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch(); Firefox firefox = Firefox.launch()) {
            Map<String, BrowserPage> pages = new LinkedHashMap<>();
            pages.put("F", ClientPage.openDemo(firefox, SERVER.origin(), room, "F"));
            pages.put("A", ClientPage.openDemo(chromium, SERVER.origin(), room, "A"));
            pages.put("B", ClientPage.openDemo(chromium, SERVER.origin(), room, "B"));
            assertPlayAndHear(pages, 2, room);

            long bytes = pages.get("F").screenshot(SCREENSHOT);
            System.out.println("screenshot of the Firefox page: " + SCREENSHOT.toAbsolutePath() + " (" + bytes
                    + " bytes)");
            assertThat(ImageIO.read(SCREENSHOT.toFile())).as("a PNG").isNotNull();

            // Someone joins late: every page renegotiates and plays the newcomer, who plays everyone.
            BrowserPage late = ClientPage.openDemo(chromium, SERVER.origin(), room, "L");
            pages.put("L", late);
            System.out.println("after a late join:");
            assertPlayAndHear(pages, 3, room);

            // The newcomer leaves: its tile goes and the others keep playing each other.
            late.evaluate("document.getElementById('leave').click(), true");
            pages.remove("L");
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                JsonObject tiles = Polling.until(() -> DemoTiles.tiles(page.getValue()),
                        t -> t.getJsonArray("remote").size() == 2, EVENT);
                assertThat(tiles.getJsonArray("remote")).as("%s: L's tile is gone, %s", page.getKey(), tiles)
                        .hasSize(2);
            }
            System.out.println("after the late joiner left:");
            assertPlayAndHear(pages, 2, room);
        }
    }

    /** {@link DemoTiles#assertEveryPagePlaysAndHears}; on failure the server's view of each receive stream is printed. */
    private static void assertPlayAndHear(Map<String, BrowserPage> pages, int remote, String room) throws Exception {
        try {
            DemoTiles.assertEveryPagePlaysAndHears(pages, remote, DEMO_DEADLINE);
        } catch (AssertionError e) {
            printServerView(room);
            throw e;
        }
    }

    /** The server's view of each participant's receive streams, for the log of a failed run. */
    private static void printServerView(String room) throws Exception {
        for (ParticipantStats p : SERVER.server().engine().conferences().participants(room)) {
            StringBuilder line = new StringBuilder("server: " + p.info().name() + " (" + p.info().id() + ") "
                    + p.state() + ", " + p.link() + ", receives");
            for (ParticipantStats.ReceiveStats r : p.received()) {
                line.append(String.format(java.util.Locale.ROOT, " [%s %s ssrc %d sent %d pause %s]", r.trackId(),
                        r.stream() == null ? "-" : r.stream().kind(), r.stream() == null ? -1 : r.stream().ssrc(),
                        r.stream() == null ? -1 : r.stream().packetsSent(), r.pause()));
            }
            System.out.println(line);
        }
    }

    /** Runs a step of the mute/republish test; on failure prints both pages' and the server's view first. */
    private static void step(String room, ClientPage c, ClientPage f, Step step) throws Exception {
        try {
            step.run();
        } catch (AssertionError e) {
            System.out.println("Chromium's connection: " + diagnostics(c));
            System.out.println("Firefox's connection: " + diagnostics(f));
            printServerView(room);
            throw e;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    @Test
    void firefoxAndChromiumReceiveEachOtherThroughMuteRepublishAndAReconnect() throws Exception {
        String room = "firefox-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch(); Firefox firefox = Firefox.launch()) {
            ClientPage c = ClientPage.join(chromium, SERVER.origin(), Join.publishing(room, "C"));
            ClientPage f = ClientPage.join(firefox, SERVER.origin(), Join.publishing(room, "F"));
            Thread.sleep(1500);
            System.out.println("Firefox after joining: " + f.run("""
                    const pc = client.pc;
                    const pairs = [];
                    (await pc.getStats()).forEach((s) => {
                      if (s.type.endsWith('candidate') || s.type === 'candidate-pair') pairs.push(s);
                    });
                    return JSON.stringify({ gathering: pc.iceGatheringState, ice: pc.iceConnectionState,
                      candidates: pc.localDescription.sdp.split('\\r\\n').filter((l) => l.startsWith('a=candidate')),
                      stats: pairs });"""));

            JsonObject atFirefox = awaitReceiving(f, c.id());
            JsonObject atChromium = awaitReceiving(c, f.id());
            System.out.println("Firefox's connection: " + diagnostics(f));
            System.out.println("Chromium's connection: " + diagnostics(c));
            System.out.println("Firefox receives Chromium: " + atFirefox.encode());
            System.out.println("Chromium receives Firefox: " + atChromium.encode());
            assertReceiving("Firefox", atFirefox, c.id());
            assertReceiving("Chromium", atChromium, f.id());
            System.out.println("Firefox's offer: " + f.run("return client.pc.localDescription.sdp"));

            String camera = f.camera();
            f.call("await client.setMuted('" + camera + "', true)");
            assertThat(c.awaitEvent("trackmuted", camera, EVENT).getBoolean("muted")).isTrue();
            report("Firefox camera muted", TrackFlow.assertStopped(c, camera, "Firefox's camera muted"));
            f.call("await client.setMuted('" + camera + "', false)");
            assertThat(c.awaitEvent("trackmuted", camera, 1, EVENT).getBoolean("muted")).isFalse();
            report("Firefox camera unmuted", TrackFlow.assertFlowing(c, camera, true, "after unmute"));

            f.call("await client.unpublish('" + camera + "')");
            c.awaitEvent("trackunpublished", camera, EVENT);
            c.awaitEvent("trackended", camera, EVENT);
            report("Firefox camera unpublished", TrackFlow.assertStopped(c, camera, "camera unpublished"));
            step(room, c, f, () -> TrackFlow.assertFlowing(c, f.microphone(), false,
                    "Firefox's microphone stays published"));

            String again = (String) f.call("return await client.publishCamera({ width: " + ClientPage.WIDTH
                    + ", height: " + ClientPage.HEIGHT + " })");
            assertThat(again).as("the republished camera's track id").isNotEqualTo(camera);
            c.awaitEvent("track", again, EVENT);
            step(room, c, f, () -> report("Firefox camera republished", TrackFlow.assertFlowing(c, again, true,
                    "after republish")));
            assertThat(c.received(again).width()).as("the new camera's frame width").isEqualTo(ClientPage.WIDTH);
            // Firefox still receives Chromium after its own renegotiations.
            step(room, c, f, () -> report("Firefox still receives Chromium's camera", TrackFlow.assertFlowing(f,
                    c.camera(), true, "at Firefox after republishing")));

            // Firefox's socket drops; its resume is held back OUTAGE_MILLIS. Media flows both ways meanwhile.
            f.call("""
                    const open = client._open.bind(client);
                    client._open = async (resume) => {
                      if (resume) await new Promise((r) => setTimeout(r, %d));
                      return open(resume);
                    };
                    client._ws.close(3001, 'test drops the socket');""".formatted(OUTAGE_MILLIS));
            f.awaitEvent("reconnecting", null, EVENT);
            report("Firefox's camera at Chromium during the outage", TrackFlow.assertFlowing(c, again, true,
                    "during Firefox's outage"));
            report("Chromium's camera at Firefox during the outage", TrackFlow.assertFlowing(f, c.camera(), true,
                    "during Firefox's outage"));
            assertThat(f.run("return client.state")).as("still in the outage while sampling").isEqualTo("reconnecting");
            f.awaitEvent("reconnected", null, Duration.ofSeconds(20));
            JsonArray joins = (JsonArray) f.run("return window.conf.joins");
            assertThat(joins.getJsonObject(joins.size() - 1).getBoolean("resumed")).as("Firefox resumed").isTrue();
            assertThat(f.run("return client.self.id")).as("the same participant").isEqualTo(f.id());
            assertThat(c.events("participantleft", null)).as("Chromium never saw Firefox leave").isEmpty();
            f.call("await client.setMuted('" + f.microphone() + "', true)");
            assertThat(c.awaitEvent("trackmuted", f.microphone(), EVENT).getBoolean("muted"))
                    .as("Firefox's new socket carries its mute").isTrue();
            f.call("await client.setMuted('" + f.microphone() + "', false)");
            report("Firefox camera after the resume", TrackFlow.assertFlowing(c, again, true, "after the resume"));
            report("Firefox microphone after the resume", TrackFlow.assertFlowing(c, f.microphone(), false,
                    "unmuted after the resume"));

            for (ClientPage page : List.of(c, f)) {
                assertThat(page.run("return client.pc.signalingState")).as("%s", page.name()).isEqualTo("stable");
                JsonArray errors = page.events("error", null).addAll(page.events("removed", null));
                assertThat(errors).as("%s: error and removed events", page.name()).isEmpty();
            }
        }
    }

    @Test
    void simulcastCamerasOfFirefoxAndChromiumReachEachOther() throws Exception {
        String room = "firefox-simulcast-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch(); Firefox firefox = Firefox.launch()) {
            Join join = Join.publishing(room, "C").withCamera(SIMULCAST_WIDTH, SIMULCAST_HEIGHT, true, false);
            ClientPage c = ClientPage.join(chromium, SERVER.origin(), join);
            ClientPage f = ClientPage.join(firefox, SERVER.origin(),
                    new Join(room, "F", null, true, false, SIMULCAST_WIDTH, SIMULCAST_HEIGHT, true));
            String offer = (String) f.run("return client.pc.localDescription.sdp");
            assertThat(offer).as("Firefox's camera offer").contains("a=simulcast:send q;h;f");
            report("Firefox's simulcast camera at Chromium", TrackFlow.assertFlowing(c, f.camera(), true,
                    "Firefox's simulcast camera"));
            report("Chromium's simulcast camera at Firefox", TrackFlow.assertFlowing(f, c.camera(), true,
                    "Chromium's simulcast camera"));
            System.out.println("Firefox's layers: " + f.run(SENT_LAYERS));
            System.out.println("Chromium's layers: " + c.run(SENT_LAYERS));
            assertThat(c.received(f.camera()).width()).as("a layer of Firefox's camera").isPositive();
            assertThat(f.received(c.camera()).width()).as("a layer of Chromium's camera").isPositive();
        }
    }

    /** The page's outbound video per rid: frame width and frames sent. */
    private static final String SENT_LAYERS = """
            const out = {};
            (await client.pc.getStats()).forEach((s) => {
              if (s.type === 'outbound-rtp' && s.kind === 'video') out[s.rid ?? ''] = [s.frameWidth ?? 0, s.framesSent ?? 0];
            });
            return JSON.stringify(out);""";

    /** The page's connection, transceivers, RTP stats and answer, for the log. */
    static Object diagnostics(ClientPage page) throws Exception {
        return page.run("""
                const pc = client.pc;
                const events = window.conf.events.map((e) => e.type + ' ' + (e.reason ?? e.error ?? e.trackId ?? ''));
                if (!pc || pc.signalingState === 'closed') return JSON.stringify({ state: client.state, events });
                const rtp = [];
                (await pc.getStats()).forEach((s) => {
                  if (s.type === 'inbound-rtp' || s.type === 'outbound-rtp') {
                    rtp.push({ type: s.type, kind: s.kind, mid: s.mid, rid: s.rid, ssrc: s.ssrc,
                               trackIdentifier: s.trackIdentifier, packets: s.packetsReceived ?? s.packetsSent,
                               frames: s.framesDecoded ?? s.framesSent, width: s.frameWidth });
                  }
                });
                return JSON.stringify({ events, connectionState: pc.connectionState, iceState: pc.iceConnectionState,
                  transceivers: pc.getTransceivers().map((t) => ({ mid: t.mid, direction: t.direction,
                    currentDirection: t.currentDirection, track: t.receiver.track.id, kind: t.receiver.track.kind })),
                  receivers: window.conf.receivers, rtp, answer: pc.remoteDescription?.sdp });""");
    }

    private static JsonObject awaitReceiving(ClientPage page, String from) throws Exception {
        return Polling.until(page::receivedByParticipant, r -> {
            JsonObject entry = r.getJsonObject(from);
            return entry != null && entry.getLong("videoFrames") > 10 && entry.getLong("videoWidth") > 0
                    && entry.getLong("audioPackets") > 10;
        }, MEDIA_DEADLINE);
    }

    private static void assertReceiving(String name, JsonObject received, String from) {
        JsonObject entry = received.getJsonObject(from);
        assertThat(entry).as("%s knows %s: %s", name, from, received).isNotNull();
        assertThat(entry.getLong("videoFrames")).as("%s decodes video: %s", name, received).isGreaterThan(10);
        assertThat(entry.getLong("videoWidth")).as("%s frame width: %s", name, received).isEqualTo(ClientPage.WIDTH);
        assertThat(entry.getLong("audioPackets")).as("%s receives audio: %s", name, received).isGreaterThan(10);
    }

    private static void report(String what, TrackFlow.Samples samples) {
        System.out.println(what + ": " + samples);
    }
}
