package org.sluice.api.pion;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.api.media.PrometheusScrape;

/**
 * A Pion (Go) participant and a Chromium participant exchange data channel messages through a conference room: both
 * join over the WebSocket protocol, each opens a channel labelled {@code chat} (Pion offers data only, publishing
 * nothing), and what one sends on it the server relays to the other.
 * <ul>
 *   <li>Pion to Chromium: {@value #MESSAGES} numbered texts ({@code pion-0} ...) one every 10 ms, a 1 KiB binary
 *       message after text {@code MESSAGES/2} and a 64 KiB one after the last; Chromium must get exactly that
 *       sequence: every text once, in order, text as text, the binary messages as binary with the right bytes at
 *       their places;</li>
 *   <li>Chromium to Pion: {@value #MESSAGES} numbered texts ({@code chromium-0} ...) and a 4 KiB binary message
 *       after text {@code MESSAGES/2}; Pion must get the same;</li>
 *   <li>while Pion sends, Chromium publishes its microphone and camera: the server asks Pion to renegotiate, and
 *       Pion's new offer (with receive-only sections) must neither break its channel nor go unanswered; Pion then
 *       receives Chromium's audio and video;</li>
 *   <li>the server's metrics count every message relayed, in ({@code sluice_datachannel_messages_total{direction="in"}})
 *       and out, and no drop.</li>
 * </ul>
 * Needs the go tool and Debian's Pion sources (as {@link PionInteropTest}) and Chromium; missing any, the test is
 * skipped, or fails under {@code CI=true}. Run alone (as root, for the loopback-only network namespace):
 * <pre>
 * CI=true ./mvnw -B -o -pl rtp,bandwidth,sfu-core,signaling-api test-compile surefire:test@interop \
 *     -Dtest=PionDataChannelInteropTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PionDataChannelInteropTest {

    private static final int MESSAGES = 300;
    private static final String LABEL = "chat";
    private static final int PION_BINARY_SMALL = 1024;
    private static final int PION_BINARY_LARGE = 64 * 1024;
    private static final int CHROMIUM_BINARY = 4096;
    private static final Duration OPEN_DEADLINE = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    @BeforeAll
    static void requirePion() throws Exception {
        PionClient.requireGoAndPion();
        PionClient.build();
    }

    @Test
    void pionAndChromiumExchangeNumberedTextAndBinaryMessagesBothWays() throws Exception {
        String room = "pion-data-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage browser = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "chromium"));
            browser.call("""
                    const ch = await client.openDataChannel('%s');
                    ch.binaryType = 'arraybuffer';
                    window.got = [];
                    ch.onmessage = (e) => {
                      if (typeof e.data === 'string') { window.got.push({ text: e.data }); return; }
                      const b = new Uint8Array(e.data);
                      let ok = true;
                      for (let i = 0; i < b.length; i++) { if (b[i] !== ((i * 7 + b.length) & 0xff)) { ok = false; break; } }
                      window.got.push({ size: b.length, ok });
                    };
                    window.chat = ch;
                    """.formatted(LABEL));
            PrometheusScrape before = PrometheusScrape.of(SERVER.origin());

            long start = System.nanoTime();
            try (PionClient pion = PionClient.start("conference-data", SERVER.origin(), room, "-name", "pion",
                    "-label", LABEL, "-messages", String.valueOf(MESSAGES), "-pace", "10ms", "-run", "150s")) {
                Optional<JsonObject> open = pion.awaitLine(line -> "open".equals(line.getString("event")),
                        OPEN_DEADLINE);
                assertThat(open).as("Pion's channel open; last %s; %s", pion.latest(), pion.log()).isPresent();
                long openedMs = millisSince(start);

                // Pion's first message at Chromium: the server relays from Pion's channel, so Chromium may send.
                int first = poll(() -> received(browser), n -> n >= 1, DEADLINE);
                assertThat(first).as("Chromium got Pion's first message; Pion %s", pion.latest()).isPositive();

                // While Pion sends: Chromium publishes, which has the server ask Pion to renegotiate.
                browser.call("""
                        const stream = await navigator.mediaDevices.getUserMedia({ audio: true,
                          video: { width: { exact: 320 }, height: { exact: 180 }, frameRate: 30 } });
                        window.conf.stream = stream;
                        await Promise.all([client.publishMicrophone({ stream }),
                                           client.publishCamera({ stream, width: 320, height: 180 })]);
                        """);
                long publishedMs = millisSince(start);
                JsonObject pionBeforeSending = pion.latest();

                // Chromium's numbered texts, paced at 2 per ms by a busy wait (background pages' timers are throttled).
                long chromiumStart = System.nanoTime();
                browser.call("""
                        const start = performance.now();
                        for (let i = 0; i < %1$d; i++) {
                          while (performance.now() - start < i / 2) { }
                          window.chat.send('chromium-' + i);
                          if (i === %2$d) {
                            const b = new Uint8Array(%3$d);
                            for (let j = 0; j < b.length; j++) b[j] = (j * 7 + b.length) & 0xff;
                            window.chat.send(b);
                          }
                        }
                        """.formatted(MESSAGES, MESSAGES / 2, CHROMIUM_BINARY));

                pion.await(s -> received(s).getLong("texts", 0L) >= MESSAGES
                        && received(s).getLong("binary", 0L) >= 1, DEADLINE);
                long chromiumToPionMs = millisSince(chromiumStart);
                int atChromium = poll(() -> received(browser), n -> n >= MESSAGES + 2, DEADLINE);
                long exchangedMs = millisSince(start);
                JsonObject withMedia = pion.await(s -> media(s, "audio") > 0 && media(s, "video") > 0, DEADLINE);

                PrometheusScrape after = PrometheusScrape.of(SERVER.origin());
                JsonObject fin = pion.stop();
                JsonObject tally = tally(browser);
                System.out.printf("Pion's channel open at %d ms; Chromium published at %d ms; both ways complete at %d ms"
                                + " (Chromium's messages took %d ms to be all at Pion, polled every 100 ms)%n", openedMs,
                        publishedMs, exchangedMs, chromiumToPionMs);
                System.out.println("at Chromium: " + tally.encode());
                System.out.println("Pion before Chromium sent: " + pionBeforeSending.encode());
                System.out.println("Pion with media: " + withMedia.encode());
                System.out.println("Pion final: " + fin.encode());
                System.out.println("server: " + after.startingWith("sluice_datachannel"));

                // Pion -> Chromium: exactly the texts in order, the binary messages at their places, intact.
                assertThat(atChromium).as("messages at Chromium, %s", tally).isEqualTo(MESSAGES + 2);
                assertThat(tally.getInteger("texts")).isEqualTo(MESSAGES);
                assertThat(tally.getString("textsInOrder")).as("Pion's texts at Chromium").isEqualTo("ok");
                assertThat(tally.getJsonArray("binary")).as("Pion's binary messages at Chromium").isEqualTo(new JsonArray()
                        .add(new JsonObject().put("size", PION_BINARY_SMALL).put("ok", true)
                                .put("afterTexts", MESSAGES / 2 + 1))
                        .add(new JsonObject().put("size", PION_BINARY_LARGE).put("ok", true)
                                .put("afterTexts", MESSAGES)));

                // What Pion sent and how it went.
                JsonObject sent = fin.getJsonObject("sent");
                assertThat(sent.getBoolean("done")).as("Pion sent everything, %s", sent).isTrue();
                assertThat(sent.getLong("texts")).isEqualTo(MESSAGES);
                assertThat(sent.getLong("binary")).isEqualTo(2);
                assertThat(sent.getLong("errors")).as("Pion's send errors, %s", sent).isZero();

                // Chromium -> Pion: exactly the texts in order, none twice, the binary one in its place, intact.
                JsonObject got = received(fin);
                assertThat(got.getLong("texts")).as("texts at Pion, %s", got).isEqualTo(MESSAGES);
                assertThat(got.getLong("numbered")).isEqualTo(MESSAGES);
                assertThat(got.getString("firstText")).isEqualTo("chromium-0");
                assertThat(got.getString("lastText")).isEqualTo("chromium-" + (MESSAGES - 1));
                assertThat(got.getBoolean("inOrder")).as("in order at Pion, %s", got).isTrue();
                assertThat(got.getLong("duplicates")).isZero();
                assertThat(got.getLong("binary")).as("binary at Pion, %s", got).isEqualTo(1);
                assertThat(got.getBoolean("binaryOk")).isTrue();
                assertThat(got.getJsonArray("binaryLog")).isEqualTo(new JsonArray().add(new JsonObject()
                        .put("size", CHROMIUM_BINARY).put("ok", true).put("afterTexts", MESSAGES / 2 + 1)));

                // Pion's peer connection: connected throughout, its channel still open, renegotiated once asked.
                assertThat(fin.getString("state")).isEqualTo("connected");
                assertThat(fin.getString("channel")).isEqualTo("open");
                assertThat(fin.getJsonArray("negotiationErrors", new JsonArray())).isEmpty();
                assertThat(fin.getInteger("renegotiateAsked")).as("renegotiate events, %s", fin).isPositive();
                assertThat(fin.getInteger("negotiations")).as("offers, %s", fin).isGreaterThanOrEqualTo(2);
                assertThat(media(withMedia, "audio")).as("Chromium's audio at Pion, %s", withMedia).isPositive();
                assertThat(media(withMedia, "video")).as("Chromium's video at Pion, %s", withMedia).isPositive();

                // The server counted every message relayed, once each way, and dropped none.
                long total = 2L * MESSAGES + 3;
                assertThat(delta(before, after, "sluice_datachannel_messages_total", "direction=\"in\""))
                        .as("messages in, %s", after.startingWith("sluice_datachannel")).isEqualTo(total);
                assertThat(delta(before, after, "sluice_datachannel_messages_total", "direction=\"out\""))
                        .as("messages out, %s", after.startingWith("sluice_datachannel")).isEqualTo(total);
                assertThat(after.sum("sluice_datachannel_dropped_total") - before.sum("sluice_datachannel_dropped_total"))
                        .as("messages dropped, %s", after.startingWith("sluice_datachannel_dropped")).isZero();
            }
        }
    }

    private static int received(ClientPage page) throws Exception {
        return ((Number) page.run("return window.got ? window.got.length : 0")).intValue();
    }

    /** What Chromium got: {texts, textsInOrder ('ok' or where not), binary [{size, ok, afterTexts}]}. */
    private static JsonObject tally(ClientPage page) throws Exception {
        return new JsonObject(String.valueOf(page.run("""
                const texts = window.got.filter(m => m.text !== undefined).map(m => m.text);
                let textsInOrder = 'ok';
                for (let i = 0; i < texts.length; i++) {
                  if (texts[i] !== 'pion-' + i) { textsInOrder = 'at ' + i + ': ' + texts[i]; break; }
                }
                const binary = [];
                let seen = 0;
                for (const m of window.got) {
                  if (m.text !== undefined) seen++; else binary.push({ size: m.size, ok: m.ok, afterTexts: seen });
                }
                return JSON.stringify({ texts: texts.length, textsInOrder, binary });
                """)));
    }

    private static JsonObject received(JsonObject summary) {
        JsonObject received = summary.getJsonObject("received");
        return received == null ? new JsonObject() : received;
    }

    private static long media(JsonObject summary, String kind) {
        JsonObject media = summary.getJsonObject("media");
        return media == null ? 0 : media.getLong(kind, 0L);
    }

    /** The change of the samples of {@code name} whose labels contain {@code label}. */
    private static long delta(PrometheusScrape before, PrometheusScrape after, String name, String label) {
        return Math.round(labelled(after, name, label) - labelled(before, name, label));
    }

    private static double labelled(PrometheusScrape scrape, String name, String label) {
        return scrape.startingWith(name + "{").entrySet().stream().filter(e -> e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** Reads every 200 ms until {@code condition} holds or {@code timeout} passes; returns the last value. */
    private static <T> T poll(Callable<T> read, Predicate<T> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = read.call();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = read.call();
        }
        return last;
    }
}
