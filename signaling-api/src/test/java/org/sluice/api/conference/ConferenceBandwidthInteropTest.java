package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.api.media.RateLimitedLink;
import org.sluice.core.conference.ParticipantStats;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Four participants in one room, one of them behind a slow downlink. Each publishes its fake camera through the
 * client as simulcast at 960x540, rids q, h, f at 240x135, 480x270 and 960x540 (as in
 * {@link ConferenceSimulcastInteropTest}; at 640x360 Chromium sends only q and h, whose top layer is about
 * 125 kbit/s here, so three of them fit in 1 Mbit/s and the cap would not bind). The top layer is the highest one a
 * publisher really sends over the window (its {@code outbound-rtp}). Only A publishes a microphone, so A is the
 * room's active speaker.
 *
 * <p>D joins first and its downlink is capped at {@value #CAP_KBPS} kbit/s ({@link RateLimitedLink} on its port)
 * before the others join. D must then get B's and C's video on a lower layer and A's (the speaker's) on a layer no
 * lower than theirs, while A, B and C, uncapped, get everyone's top layer. The speaker part is checked only if D's page saw A
 * as the first active speaker. Figures (frame size, rate over the window, loss per sender) are printed for every
 * page; the checks are soft so one run reports all of them. Needs root inside the test run's network namespace.
 */
class ConferenceBandwidthInteropTest {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int CAP_KBPS = 1000;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int WINDOWS = 3;
    private static final List<String> NAMES = List.of("A", "B", "C", "D");
    private static final String SPEAKER = "A";
    private static final String CAPPED = "D";

    @RegisterExtension
    static final InteropServer SERVER = InteropServer.forShapedLoopback();

    @BeforeAll
    static void requireRateLimitedLink() {
        Optional<String> reason = RateLimitedLink.whyUnusable();
        if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
            fail("bandwidth test precondition not met under CI=true: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> "skipping bandwidth tests: " + reason.orElse(""));
    }

    @Test
    void theCappedParticipantGetsLowerLayersTheSpeakerFirstAndTheOthersGetTheTop() throws Exception {
        String room = "bw-conf-" + Long.toHexString(System.nanoTime());
        SoftAssertions softly = new SoftAssertions();
        try (Chromium chromium = Chromium.launch()) {
            Map<String, ClientPage> pages = new LinkedHashMap<>();
            pages.put(CAPPED, ClientPage.join(chromium, SERVER.origin(),
                    new Join(room, CAPPED, null, true, false, WIDTH, HEIGHT, true)));
            JsonObject pair = Polling.until(() -> selectedPair(pages.get(CAPPED)), p -> p.getInteger("localPort") > 0,
                    Duration.ofSeconds(10));
            assertThat(pair.getString("protocol")).as("%s's selected pair, %s", CAPPED, pair).isEqualTo("udp");
            try (RateLimitedLink link = RateLimitedLink.toUdpPort(pair.getInteger("localPort"), CAP_KBPS)) {
                System.out.println(CAPPED + " capped at " + CAP_KBPS + " kbit/s on " + pair.encode());
                for (String name : List.of("A", "B", "C")) {
                    pages.put(name, ClientPage.join(chromium, SERVER.origin(),
                            new Join(room, name, null, true, SPEAKER.equals(name), WIDTH, HEIGHT, true)));
                }

                // Settle: until the layers are as wanted, or the time is up; the window after shows the figures.
                long start = System.nanoTime();
                Map<String, Integer> tops = Map.of();
                Map<String, JsonObject> views = new LinkedHashMap<>();
                while (System.nanoTime() - start < SETTLE.toNanos()) {
                    Map<String, JsonObject> earlier = views;
                    views = views(pages);
                    tops = earlier.isEmpty() ? Map.of() : topLayers(earlier, views);
                    printLinks(room);
                    if (asWanted(tops, views, speakerSeenBy(pages.get(CAPPED), pages.get(SPEAKER).id()))) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                System.out.println("settled after " + (System.nanoTime() - start) / 1_000_000 + " ms (or gave up)");

                // The window whose figures are asserted. A publisher's Chromium may pause its top layer for a moment
                // (its own uplink estimate dips on a busy machine) and the receivers then wait for its next keyframe
                // to go back up: a window that ends in such a dip is measured again, at most WINDOWS times in all.
                RateLimitedLink.Counters queueBefore;
                Map<String, JsonObject> before;
                Map<String, JsonObject> after;
                RateLimitedLink.Counters queueAfter;
                for (int window = 1; ; window++) {
                    queueBefore = link.counters();
                    before = views(pages);
                    Thread.sleep(WINDOW.toMillis());
                    after = views(pages);
                    queueAfter = link.counters();
                    tops = topLayers(before, after);
                    if (window == WINDOWS || asWanted(tops, after, speakerSeenBy(pages.get(CAPPED),
                            pages.get(SPEAKER).id()))) {
                        break;
                    }
                    System.out.println("window " + window + " ended away from the wanted layers (tops " + tops
                            + "): measuring again");
                }
                printLinks(room);
                boolean speakerKnown = speakerSeenBy(pages.get(CAPPED), pages.get(SPEAKER).id());
                System.out.println("top layer each publisher sends (height): " + tops);
                System.out.println(CAPPED + "'s active speakers (last 3): "
                        + pages.get(CAPPED).run("return JSON.stringify(window.conf.speakers.slice(-3))")
                        + "; A's id " + pages.get(SPEAKER).id() + ", A first: " + speakerKnown);
                System.out.println("the cap's queue over the window: sent " + (queueAfter.sentPackets()
                        - queueBefore.sentPackets()) + " packets, dropped " + (queueAfter.droppedPackets()
                        - queueBefore.droppedPackets()));

                for (String receiver : NAMES) {
                    JsonObject b = before.get(receiver);
                    JsonObject a = after.get(receiver);
                    double totalKbps = 0;
                    for (String sender : NAMES) {
                        if (sender.equals(receiver) || !a.containsKey(sender)) {
                            continue;
                        }
                        JsonObject s0 = b.getJsonObject(sender, a.getJsonObject(sender));
                        JsonObject s1 = a.getJsonObject(sender);
                        double ms = a.getDouble("_timestamp") - b.getDouble("_timestamp");
                        double kbps = (s1.getLong("bytes") - s0.getLong("bytes")) * 8 / ms;
                        long packets = s1.getLong("packets") - s0.getLong("packets");
                        long lost = s1.getLong("lost") - s0.getLong("lost");
                        double fps = (s1.getLong("frames") - s0.getLong("frames")) * 1000 / ms;
                        totalKbps += kbps;
                        System.out.printf(Locale.ROOT, "%s gets %s: %dx%d, %.0f kbit/s, %.1f fps, %d packets, %d lost "
                                        + "(%.1f%%); totals: %d frames received, %d decoded, %d key frames, %d PLIs%n",
                                receiver, sender, s1.getInteger("width"), s1.getInteger("height"), kbps, fps, packets,
                                lost, packets + lost == 0 ? 0.0 : 100.0 * lost / (packets + lost),
                                s1.getLong("framesReceived"), s1.getLong("frames"), s1.getLong("keyFrames"),
                                s1.getLong("plis"));
                        int top = tops.getOrDefault(sender, 0);
                        softly.assertThat(fps).as("%s decodes %s's video, %s", receiver, sender, s1).isPositive();
                        if (!receiver.equals(CAPPED)) {
                            softly.assertThat(s1.getInteger("height")).as("%s gets %s's top layer, %s", receiver,
                                    sender, s1).isEqualTo(top);
                        } else if (!sender.equals(SPEAKER)) {
                            // Below what the pages capture: a publisher whose encoder sends no more than a lower
                            // layer (Chromium drops its top one on a busy machine) may be received whole.
                            softly.assertThat(s1.getInteger("height")).as("%s (capped) gets a lower layer of %s, %s",
                                    receiver, sender, s1).isPositive().isLessThan(HEIGHT);
                        } else if (speakerKnown) {
                            // The speaker ranks first with the capped participant's allocator: its layer is never
                            // below the others'. (Its top layer fits only once probing lifts the estimate past what
                            // the lower layers use, which it does not do reliably yet.)
                            // ... nor, of course, above what the speaker's publisher sends at all.
                            int highestOther = Math.min(top, NAMES.stream().filter(n -> !n.equals(receiver)
                                    && !n.equals(SPEAKER) && a.containsKey(n))
                                    .mapToInt(n -> a.getJsonObject(n).getInteger("height")).max().orElse(0));
                            softly.assertThat(s1.getInteger("height")).as("%s (capped) gets the speaker %s at a layer "
                                    + "no lower than the others', %s", receiver, sender, s1)
                                    .isGreaterThanOrEqualTo(highestOther);
                        } else {
                            System.out.println("speaker check skipped: " + CAPPED + " never saw " + SPEAKER
                                    + " as the first active speaker");
                        }
                    }
                    System.out.printf(Locale.ROOT, "%s receives %.0f kbit/s of video in all%n", receiver, totalKbps);
                }
                softly.assertThat(tops.values()).as("top layers sent, %s", tops).allMatch(h -> h > 0);
            }
        }
        softly.assertAll();
    }

    /** The server's view of each participant's downlink: estimate, allocation, probe packets sent so far. */
    private static void printLinks(String room) throws Exception {
        StringBuilder line = new StringBuilder("server links:");
        for (ParticipantStats p : SERVER.server().engine().conferences().participants(room)) {
            ParticipantStats.LinkStats link = p.link();
            if (link != null) {
                line.append(String.format(Locale.ROOT, " %s estimate %d kbit/s allocated %d kbit/s probes %d;",
                        p.info().name(), link.estimateBps() / 1000, link.allocatedBps() / 1000, link.probePackets()));
            }
        }
        System.out.println(line);
        System.out.println(layers(room));
    }

    /**
     * The server's placement of each participant's simulcast video subscriptions: the sender's name, then the layer
     * placed, the one its bandwidth allows and the one its preferences want ('-' for none).
     */
    private static String layers(String room) throws Exception {
        Map<String, String> owners = new LinkedHashMap<>();
        List<ParticipantStats> all = SERVER.server().engine().conferences().participants(room);
        for (ParticipantStats p : all) {
            for (ParticipantStats.TrackStats t : p.tracks()) {
                owners.put(t.trackId(), p.info().name());
            }
        }
        StringBuilder line = new StringBuilder("server layers (placed/bandwidth/wanted):");
        for (ParticipantStats p : all) {
            line.append(' ').append(p.info().name()).append(" <-");
            for (ParticipantStats.ReceiveStats r : p.received()) {
                if (r.layer() >= 0) {
                    line.append(String.format(Locale.ROOT, " %s %d/%s/%d", owners.getOrDefault(r.trackId(), "?"),
                            r.layer(), r.bandwidthLayer() < 0 ? "-" : String.valueOf(r.bandwidthLayer()),
                            r.wantedLayer()));
                }
            }
            line.append(';');
        }
        return line.toString();
    }

    /** The layers are as wanted: the capped page has the others' lower layers and the speaker's top, the rest tops. */
    private static boolean asWanted(Map<String, Integer> tops, Map<String, JsonObject> views, boolean speakerKnown) {
        for (String receiver : NAMES) {
            for (String sender : NAMES) {
                if (sender.equals(receiver)) {
                    continue;
                }
                JsonObject got = views.get(receiver).getJsonObject(sender);
                int top = tops.getOrDefault(sender, 0);
                if (got == null || got.getLong("frames") == 0 || top == 0) {
                    return false;
                }
                int height = got.getInteger("height");
                boolean wanted = !receiver.equals(CAPPED) ? height == top
                        : sender.equals(SPEAKER) && speakerKnown ? height > 0 : height > 0 && height < HEIGHT;
                if (!wanted) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Each page's view of the others, keyed by page name then sender name. */
    private static Map<String, JsonObject> views(Map<String, ClientPage> pages) throws Exception {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (Map.Entry<String, ClientPage> e : pages.entrySet()) {
            out.put(e.getKey(), receivedVideo(e.getValue()));
        }
        for (String name : NAMES) {
            out.putIfAbsent(name, new JsonObject().put("_timestamp", 0.0));
        }
        return out;
    }

    /** Each publisher's highest frame height among the layers whose framesSent grew between two views. */
    private static Map<String, Integer> topLayers(Map<String, JsonObject> before, Map<String, JsonObject> after) {
        Map<String, Integer> tops = new LinkedHashMap<>();
        for (String name : NAMES) {
            JsonObject a = before.get(name).getJsonObject("_out", new JsonObject());
            JsonObject b = after.get(name).getJsonObject("_out", new JsonObject());
            int top = 0;
            for (String rid : b.fieldNames()) {
                JsonObject layer = b.getJsonObject(rid);
                long sent = a.containsKey(rid) ? a.getJsonObject(rid).getLong("framesSent") : 0;
                if (layer.getLong("framesSent") > sent) {
                    top = Math.max(top, layer.getInteger("height"));
                }
            }
            tops.put(name, top);
        }
        return tops;
    }

    /**
     * What the page receives of each remote participant's video, keyed by name: {@code {bytes (payload and
     * headers), packets, lost, frames (decoded), framesReceived, keyFrames (decoded), plis, width, height}} summed over the inbound-rtp of its track, the frame size of
     * the one that received last; {@code _timestamp} is the report's time in ms; {@code _out} the page's own video
     * outbound-rtp per rid, {@code {framesSent, height}}.
     */
    private static JsonObject receivedVideo(ClientPage page) throws Exception {
        return (JsonObject) page.call("""
                const out = { _timestamp: 0, _out: {} };
                const byTrack = new Map();
                for (const p of client.participants.values()) {
                  for (const t of p.tracks.values()) {
                    if (t.mediaStreamTrack && t.mediaStreamTrack.kind === 'video') {
                      const entry = { bytes: 0, packets: 0, lost: 0, frames: 0, framesReceived: 0, keyFrames: 0, plis: 0,
                                      width: 0, height: 0, last: -1 };
                      out[p.name] = entry;
                      byTrack.set(t.mediaStreamTrack.id, entry);
                    }
                  }
                }
                (await client.pc.getStats()).forEach((s) => {
                  if (s.type === 'outbound-rtp' && s.kind === 'video') {
                    out._out[s.rid || ''] = { framesSent: s.framesSent || 0, height: s.frameHeight || 0 };
                  }
                  if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
                  out._timestamp = Math.max(out._timestamp, s.timestamp);
                  const entry = byTrack.get(s.trackIdentifier);
                  if (!entry) return;
                  entry.bytes += (s.bytesReceived || 0) + (s.headerBytesReceived || 0);
                  entry.packets += s.packetsReceived || 0;
                  entry.lost += s.packetsLost || 0;
                  entry.frames += s.framesDecoded || 0;
                  entry.framesReceived += s.framesReceived || 0;
                  entry.keyFrames += s.keyFramesDecoded || 0;
                  entry.plis += s.pliCount || 0;
                  const at = s.lastPacketReceivedTimestamp || 0;
                  if (at >= entry.last && s.frameHeight) { entry.last = at; entry.width = s.frameWidth; entry.height = s.frameHeight; }
                });
                return out;""");
    }

    /** Whether the page's latest active-speaker list starts with {@code id}. */
    private static boolean speakerSeenBy(ClientPage page, String id) throws Exception {
        Object speakers = page.run("return window.conf.speakers.length ? window.conf.speakers.at(-1) : []");
        if (!(speakers instanceof JsonArray list) || list.isEmpty()) {
            return false;
        }
        Object first = list.getValue(0);
        String firstId = first instanceof JsonObject o ? o.getString("id", o.getString("participantId"))
                : String.valueOf(first);
        return id.equals(firstId);
    }

    /** The page's selected candidate pair: {protocol, localPort}. */
    private static JsonObject selectedPair(ClientPage page) throws Exception {
        return (JsonObject) page.call("""
                const out = { protocol: '', localPort: 0 };
                if (!client.pc) return out;
                const report = await client.pc.getStats();
                report.forEach((s) => {
                  if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
                  const pair = report.get(s.selectedCandidatePairId);
                  const local = pair && report.get(pair.localCandidateId);
                  if (local) { out.protocol = local.protocol || ''; out.localPort = local.port || 0; }
                });
                return out;""");
    }
}
