package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.Firefox;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firefox (ESR, over WebDriver BiDi) and Chromium in one room, both running the conferencing client
 * ({@code /js/sluice-client.js}) and publishing camera and microphone: each decodes the other's video and receives
 * its audio; then Firefox mutes, unmutes, unpublishes and republishes its camera and Chromium sees each step.
 */
class FirefoxConferenceInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(30);
    private static final Duration EVENT = Duration.ofSeconds(10);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @BeforeAll
    static void firefoxInstalled() {
        InteropPreconditions.requireFirefox();
    }

    @Test
    void firefoxAndChromiumReceiveEachOtherAndFirefoxControlsItsCamera() throws Exception {
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
            TrackFlow.assertFlowing(c, f.microphone(), false, "Firefox's microphone stays published");

            String again = (String) f.call("return await client.publishCamera({ width: " + ClientPage.WIDTH
                    + ", height: " + ClientPage.HEIGHT + " })");
            assertThat(again).as("the republished camera's track id").isNotEqualTo(camera);
            c.awaitEvent("track", again, EVENT);
            report("Firefox camera republished", TrackFlow.assertFlowing(c, again, true, "after republish"));
            assertThat(c.received(again).width()).as("the new camera's frame width").isEqualTo(ClientPage.WIDTH);
            // Firefox still receives Chromium after its own renegotiations.
            report("Firefox still receives Chromium's camera", TrackFlow.assertFlowing(f, c.camera(), true,
                    "at Firefox after republishing"));

            for (ClientPage page : List.of(c, f)) {
                assertThat(page.run("return client.pc.signalingState")).as("%s", page.name()).isEqualTo("stable");
                JsonArray errors = page.events("error", null).addAll(page.events("removed", null));
                assertThat(errors).as("%s: error and removed events", page.name()).isEmpty();
            }
        }
    }

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
