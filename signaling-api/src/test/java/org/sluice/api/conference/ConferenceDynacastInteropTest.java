package org.sluice.api.conference;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.core.conference.ParticipantStats;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynacast against headless Chromium: a participant publishes a simulcast camera (q, h, f) and two others receive
 * it. While every subscriber is limited to 180 lines ({@code maxHeight: 180}) the server has the publisher switch
 * its h and f encodings off ({@code publicationLayers}): the publisher's own {@code RTCRtpSender} parameters say
 * inactive and its outbound-rtp of those rids stops growing. When one subscriber lifts its limit they come back (the
 * top layer is encoded at full width again) and that subscriber is switched up to the top layer once it arrives.
 */
class ConferenceDynacastInteropTest {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(40);
    private static final Duration SWITCH_DEADLINE = Duration.ofSeconds(25);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @Test
    void layersNobodyNeedsAreSwitchedOffAtThePublisherAndComeBackWhenNeeded() throws Exception {
        String room = "dynacast-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage publisher = ClientPage.join(chromium, SERVER.origin(),
                    new Join(room, "P", null, true, false, WIDTH, HEIGHT, true));
            String trackId = publisher.camera();
            ClientPage a = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "A"));
            ClientPage b = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "B"));
            // Unlimited at first: the publisher sends every layer and A gets the top one.
            ClientPage.Received full = Polling.until(() -> a.received(trackId), v -> v.width() == WIDTH,
                    MEDIA_DEADLINE);
            assertThat(full.width()).as("A receives the top layer, %s", full).isEqualTo(WIDTH);
            JsonObject all = encodings(publisher);
            System.out.println("publisher unlimited: " + all.encode());
            assertThat(bytes(all, "f")).as("f sent while wanted").isPositive();

            long limited = System.nanoTime();
            for (ClientPage viewer : new ClientPage[] {a, b}) {
                viewer.call("await client.setPreferences('" + trackId + "', { maxHeight: 180 })");
            }
            ClientPage.Received first = Polling.until(() -> a.received(trackId), v -> v.width() == WIDTH / 4,
                    MEDIA_DEADLINE);
            if (first.width() != WIDTH / 4) {
                System.out.println("A inbound: " + rtp(a, "inbound-rtp"));
                System.out.println("publisher outbound: " + rtp(publisher, "outbound-rtp"));
                System.out.println("publisher events: " + publisher.events().encode());
                System.out.println("server: " + SERVER.server().engine().conferences().participants(room));
            }
            assertThat(first.width()).as("A receives the 180-line layer, %s", first).isEqualTo(WIDTH / 4);

            // Off: both subscribers want at most q, so h and f are switched off at the publisher.
            JsonObject off = Polling.until(() -> encodings(publisher),
                    e -> !active(e, "h") && !active(e, "f") && active(e, "q"), SWITCH_DEADLINE);
            long offMillis = Duration.ofNanos(System.nanoTime() - limited).toMillis();
            System.out.println("h and f inactive " + offMillis + " ms after the limits: " + off.encode());
            assertThat(active(off, "f")).as("f encoding active, %s", off).isFalse();
            assertThat(active(off, "h")).as("h encoding active, %s", off).isFalse();
            assertThat(active(off, "q")).as("q encoding active, %s", off).isTrue();

            JsonObject before = encodings(publisher);
            Thread.sleep(1500);
            JsonObject after = encodings(publisher);
            System.out.println("publisher while limited: " + after.encode());
            assertThat(bytes(after, "f") - bytes(before, "f")).as("f bytes while off").isZero();
            assertThat(bytes(after, "h") - bytes(before, "h")).as("h bytes while off").isZero();
            assertThat(bytes(after, "q") - bytes(before, "q")).as("q bytes while off").isPositive();
            long framesBefore = a.received(trackId).frames();
            ClientPage.Received still = Polling.until(() -> a.received(trackId),
                    v -> v.frames() > framesBefore + 10, MEDIA_DEADLINE);
            assertThat(still.frames()).as("A still decodes q, %s", still).isGreaterThan(framesBefore + 10);

            Map<String, Boolean> layers = activeLayers(room, trackId);
            System.out.println("server's active layers: " + layers);
            assertThat(layers).containsExactly(Map.entry("q", true), Map.entry("h", false), Map.entry("f", false));
            assertThat(SERVER.server().engine().dynacastLayerToggles()).isGreaterThanOrEqualTo(2);

            // On: B lifts its limit (it needs f) and A raises its own to 360 lines (h): both layers come back, and
            // each subscriber is switched up once its layer arrives.
            long lifted = System.nanoTime();
            b.call("await client.setPreferences('" + trackId + "', { maxHeight: 0 })");
            a.call("await client.setPreferences('" + trackId + "', { maxHeight: 360 })");
            JsonObject fOn = Polling.until(() -> encodings(publisher), e -> active(e, "f"), SWITCH_DEADLINE);
            long fOnMillis = millisSince(lifted);
            JsonObject hOn = Polling.until(() -> encodings(publisher), e -> active(e, "h"), SWITCH_DEADLINE);
            long hOnMillis = millisSince(lifted);
            assertThat(active(fOn, "f")).as("f encoding active again, %s", fOn).isTrue();
            assertThat(active(hOn, "h")).as("h encoding active again, %s", hOn).isTrue();
            JsonObject sending = Polling.until(() -> encodings(publisher),
                    e -> e.getJsonObject("f").getInteger("frameWidth", 0) == WIDTH
                            && e.getJsonObject("h").getInteger("frameWidth", 0) == WIDTH / 2, SWITCH_DEADLINE);
            long sendingMillis = millisSince(lifted);
            assertThat(sending.getJsonObject("f").getInteger("frameWidth", 0)).as("f width, %s", sending)
                    .isEqualTo(WIDTH);
            assertThat(sending.getJsonObject("h").getInteger("frameWidth", 0)).as("h width, %s", sending)
                    .isEqualTo(WIDTH / 2);
            JsonObject later = Polling.until(() -> encodings(publisher),
                    e -> bytes(e, "f") > bytes(sending, "f") && bytes(e, "h") > bytes(sending, "h"), SWITCH_DEADLINE);
            assertThat(bytes(later, "f")).as("f bytes grow again").isGreaterThan(bytes(sending, "f"));
            assertThat(bytes(later, "h")).as("h bytes grow again").isGreaterThan(bytes(sending, "h"));
            ClientPage.Received bTop = Polling.until(() -> b.received(trackId), v -> v.width() == WIDTH,
                    MEDIA_DEADLINE);
            long bUpMillis = millisSince(lifted);
            ClientPage.Received aMiddle = Polling.until(() -> a.received(trackId), v -> v.width() == WIDTH / 2,
                    MEDIA_DEADLINE);
            long aUpMillis = millisSince(lifted);
            System.out.println("after the limits were lifted: f active in " + fOnMillis + " ms, h in " + hOnMillis
                    + " ms, both encoded at full size in " + sendingMillis + " ms; B decodes " + bTop + " in "
                    + bUpMillis + " ms, A " + aMiddle + " in " + aUpMillis + " ms");
            assertThat(bTop.width()).as("B is switched up to f, %s", bTop).isEqualTo(WIDTH);
            assertThat(aMiddle.width()).as("A is switched up to h, %s", aMiddle).isEqualTo(WIDTH / 2);
            assertThat(activeLayers(room, trackId)).containsExactly(Map.entry("q", true), Map.entry("h", true),
                    Map.entry("f", true));
        }
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** The page's RTP stats of one type, the fields that explain a stall. */
    private static Object rtp(ClientPage page, String type) throws Exception {
        return page.call("""
                const out = [];
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type !== '%s' || s.kind !== 'video') return;
                  out.push({ rid: s.rid, ssrc: s.ssrc, packets: s.packetsReceived ?? s.packetsSent, lost: s.packetsLost,
                    framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,
                    keyFramesDecoded: s.keyFramesDecoded, keyFramesEncoded: s.keyFramesEncoded,
                    framesEncoded: s.framesEncoded, pli: s.pliCount, nack: s.nackCount, width: s.frameWidth,
                    decoder: s.decoderImplementation, active: s.active, trackIdentifier: s.trackIdentifier });
                });
                return JSON.stringify(out);""".formatted(type));
    }

    /** The publisher's video encodings by rid: {active (sender parameters), bytesSent, frameWidth}. */
    private static JsonObject encodings(ClientPage publisher) throws Exception {
        return (JsonObject) publisher.call("""
                const sender = client.pc.getSenders().find((s) => s.track && s.track.kind === 'video');
                const out = {};
                for (const e of sender.getParameters().encodings) out[e.rid] = { active: e.active, bytes: 0, frameWidth: 0 };
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type !== 'outbound-rtp' || s.kind !== 'video' || !out[s.rid]) return;
                  out[s.rid].bytes = s.bytesSent ?? 0;
                  out[s.rid].frameWidth = s.frameWidth ?? 0;
                  out[s.rid].statsActive = s.active;
                });
                return out;""");
    }

    private static boolean active(JsonObject encodings, String rid) {
        JsonObject e = encodings.getJsonObject(rid);
        return e != null && Boolean.TRUE.equals(e.getBoolean("active"));
    }

    private static long bytes(JsonObject encodings, String rid) {
        JsonObject e = encodings.getJsonObject(rid);
        return e == null ? 0 : e.getLong("bytes", 0L);
    }

    /** What the server (as its admin API) says of the track's layers. */
    private static Map<String, Boolean> activeLayers(String room, String trackId) throws Exception {
        for (ParticipantStats p : SERVER.server().engine().conferences().participants(room)) {
            for (ParticipantStats.TrackStats t : p.tracks()) {
                if (t.trackId().equals(trackId)) {
                    return t.activeLayers();
                }
            }
        }
        return Map.of();
    }
}
