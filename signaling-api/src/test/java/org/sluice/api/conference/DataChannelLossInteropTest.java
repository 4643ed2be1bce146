package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.api.media.LossyLink;
import org.sluice.api.media.PrometheusScrape;

/**
 * Data channels through the SFU with three Chromium participants under 5% random loss on A's link in both
 * directions (random UDP drops by iptables inside the test's network namespace, see {@link LossyLink}); B's and C's
 * links are clean. The participants carry only data (no camera, microphone or subscriptions) and every one opens
 * the same two channels: {@code reliable} (ordered, reliable) and {@code lossy} (unordered,
 * {@code maxRetransmits: 0}).
 *
 * <p>On the reliable channel A sends 10,000 numbered messages, then B does (2,000 per second each): A's arrive at
 * B and at C, B's at A and at C, each complete, in order and none twice (from A: Chromium's SCTP repairs A's lossy
 * uplink; to A: the server's SCTP repairs A's lossy downlink). On the lossy channel B sends 10,000 (1,000 per
 * second): A, behind the loss, gets at least 90% and fewer than all, none twice; C, on its clean link, at least
 * 90%, none twice. The drops on both directions of A's link and the server's SCTP retransmissions are checked too.
 *
 * <p>C's floor is A's, not "nearly all": on a two-core machine busy with other work, a starved receiver
 * loses unreliable messages on a clean link. Chromium's UDP sockets overflow ({@code RcvbufErrors} in the
 * namespace's {@code /proc/net/snmp}) and the server's DTLS receive queue drops some of B's records; the test
 * prints both (the server's as what it received from B). With no overflow C got all 10,000; with it, 89-99.7%
 * (at 2,000 per second with busy-waiting senders and media) and 94.7% (as now, at a load average of 7). Senders
 * are paced by a worker's timer rather than a busy wait, and the participants have no media, to leave the
 * receivers what CPU there is.
 */
class DataChannelLossInteropTest {

    private static final double LOSS = 0.05;
    private static final int MESSAGES = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Messages per second each sender sends on the reliable channel. */
    private static final int RELIABLE_RATE = 2_000;
    /** Messages per second B sends on the lossy channel. */
    private static final int LOSSY_RATE = 1_000;
    /** How long deliveries on the lossy channel must stand still before they count as settled. */
    private static final Duration SETTLED = Duration.ofSeconds(3);

    @RegisterExtension
    static final InteropServer SERVER = InteropServer.forShapedLoopback();

    @BeforeAll
    static void requireLossyLink() {
        Optional<String> reason = LossyLink.whyUnusable();
        if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
            fail("loss test precondition not met under CI=true: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> "skipping loss tests: " + reason.orElse(""));
    }

    /**
     * A participant that only carries data: no camera or microphone, no subscriptions. Media would take CPU time
     * the data channels' receivers need on a small machine (see the class comment).
     */
    private static Join dataOnly(String room, String name) {
        return Join.watching(room, name).withAutoSubscribe(false);
    }

    private static void open(ClientPage page, String label, String options) throws Exception {
        page.call("""
                window.dc = window.dc || {}; window.got = window.got || {};
                const ch = await client.openDataChannel('%1$s', %2$s);
                window.got['%1$s'] = [];
                ch.onmessage = (e) => window.got['%1$s'].push(e.data);
                window.dc['%1$s'] = ch;
                """.formatted(label, options));
    }

    /**
     * Sends n messages {@code <sender>:m0}, {@code <sender>:m1}, ..., paced at {@code perSecond} (under the relay's
     * per-participant rate): a worker's interval timer ticks every millisecond or so and each tick sends the
     * messages due by then. The page's own timers would be throttled in the background, and a busy wait would
     * hold one of the machine's cores for the whole send. Returns {ms, largestBatch}: how long the send took
     * and the most messages one tick sent.
     */
    private static JsonObject sendNumbered(ClientPage page, String sender, String label, int n, int perSecond)
            throws Exception {
        return new JsonObject(String.valueOf(page.call("""
                const ch = window.dc['%2$s'];
                const n = %3$d, perSecond = %4$d, prefix = '%1$s:m';
                const ticker = new Worker(URL.createObjectURL(new Blob(['setInterval(() => postMessage(0), 1)'],
                                                                       { type: 'text/javascript' })));
                const start = performance.now();
                let i = 0, largestBatch = 0;
                await new Promise((resolve, reject) => {
                  ticker.onerror = (e) => reject(new Error('ticker: ' + e.message));
                  ticker.onmessage = () => {
                    const due = Math.min(n, Math.floor((performance.now() - start) * perSecond / 1000) + 1);
                    largestBatch = Math.max(largestBatch, due - i);
                    for (; i < due; i++) ch.send(prefix + i);
                    if (i >= n) { resolve(); }
                  };
                }).finally(() => ticker.terminate());
                return JSON.stringify({ ms: Math.round(performance.now() - start), largestBatch });
                """.formatted(sender, label, n, perSecond))));
    }

    /**
     * What arrived on {@code label} from {@code sender}: {count, unique, inOrder} of its messages, and {@code total},
     * every message on the channel from anyone.
     */
    private static JsonObject tally(ClientPage page, String label, String sender) throws Exception {
        return new JsonObject(String.valueOf(page.run("""
                const all = window.got['%1$s'];
                const prefix = '%2$s:m';
                const g = all.filter(m => m.startsWith(prefix));
                const seen = new Set(g);
                let inOrder = true;
                for (let i = 0; i < g.length; i++) if (g[i] !== prefix + i) { inOrder = false; break; }
                return JSON.stringify({ count: g.length, unique: seen.size, inOrder, total: all.length });
                """.formatted(label, sender))));
    }

    /** Waits (bounded) until {@code sender}'s reliable messages at {@code page} are all there, and returns them. */
    private static JsonObject reliableFrom(ClientPage page, String sender) throws Exception {
        return Polling.until(() -> tally(page, "reliable", sender), t -> t.getInteger("count") >= MESSAGES, DEADLINE);
    }

    private static void assertCompleteInOrder(JsonObject tally, String what) {
        assertThat(tally.getInteger("count")).as(what + ": all arrive").isEqualTo(MESSAGES);
        assertThat(tally.getInteger("unique")).as(what + ": none twice").isEqualTo(MESSAGES);
        assertThat(tally.getBoolean("inOrder")).as(what + ": in order").isTrue();
    }

    /** B's lossy messages at A and at C, once neither count has moved for {@link #SETTLED} (bounded). */
    private static List<JsonObject> settledLossy(ClientPage a, ClientPage c) throws Exception {
        List<JsonObject> last = List.of(tally(a, "lossy", "B"), tally(c, "lossy", "B"));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(SETTLED.toMillis());
            List<JsonObject> next = List.of(tally(a, "lossy", "B"), tally(c, "lossy", "B"));
            if (next.get(0).getInteger("count").equals(last.get(0).getInteger("count"))
                    && next.get(1).getInteger("count").equals(last.get(1).getInteger("count"))) {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static double messagesIn(PrometheusScrape scrape) {
        return scrape.startingWith("sluice_datachannel_messages_total{direction=\"in\"}").values().stream()
                .mapToDouble(Double::doubleValue).sum();
    }

    /** This network namespace's UDP counters ({@code /proc/net/snmp}), for the record; empty when unreadable. */
    private static Map<String, Long> udpCounters() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).substring(4).trim().split("\\s+");
                    String[] values = lines.get(i + 1).substring(4).trim().split("\\s+");
                    Map<String, Long> out = new LinkedHashMap<>();
                    for (int k = 0; k < Math.min(names.length, values.length); k++) {
                        out.put(names[k], Long.parseLong(values[k]));
                    }
                    return out;
                }
            }
        } catch (IOException | RuntimeException e) {
            // for the record only
        }
        return Map.of();
    }

    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((name, value) -> out.put(name, value - before.getOrDefault(name, 0L)));
        return out;
    }

    @Test
    void reliableChannelsCompleteInOrderAtEveryoneAndUnreliableKeepsNinetyPercentUnderFivePercentLoss()
            throws Exception {
        long started = System.nanoTime();
        String room = "data-loss-" + Long.toHexString(System.nanoTime());
        int serverPort = SERVER.server().engine().udpPort();
        try (Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, SERVER.origin(), dataOnly(room, "A"));
            ClientPage b = ClientPage.join(chromium, SERVER.origin(), dataOnly(room, "B"));
            ClientPage c = ClientPage.join(chromium, SERVER.origin(), dataOnly(room, "C"));
            for (ClientPage page : List.of(a, b, c)) {
                open(page, "reliable", "{}");
                open(page, "lossy", "{ ordered: false, maxRetransmits: 0 }");
            }
            JsonObject pair = (JsonObject) a.page().evaluate("""
                    (async () => {
                      const report = await window.conf.client.pc.getStats();
                      let pair = null;
                      report.forEach(s => {
                        if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) || pair;
                      });
                      const local = pair ? (report.get(pair.localCandidateId) || {}) : {};
                      return { localPort: local.port || 0, protocol: local.protocol || '' };
                    })()
                    """);
            int port = pair.getInteger("localPort");
            assertThat(pair.getString("protocol")).isEqualTo("udp");
            PrometheusScrape before = PrometheusScrape.of(SERVER.origin());
            List<LossyLink> links = new ArrayList<>();
            long droppedUp;
            long droppedDown;
            try {
                LossyLink up = LossyLink.open();
                links.add(up);
                LossyLink down = LossyLink.open();
                links.add(down);
                up.dropUdp(port, serverPort, LOSS);
                down.dropUdp(serverPort, port, LOSS);

                long sending = System.nanoTime();
                JsonObject sentA = sendNumbered(a, "A", "reliable", MESSAGES, RELIABLE_RATE);
                JsonObject sentB = sendNumbered(b, "B", "reliable", MESSAGES, RELIABLE_RATE);
                JsonObject aAtB = reliableFrom(b, "A");
                JsonObject aAtC = reliableFrom(c, "A");
                JsonObject bAtA = reliableFrom(a, "B");
                JsonObject bAtC = reliableFrom(c, "B");
                System.out.printf("reliable A->B %s, A->C %s, B->A %s, B->C %s (%d ms from the first send; sending"
                                + " A %s, B %s)%n", aAtB.encode(), aAtC.encode(), bAtA.encode(), bAtC.encode(),
                        (System.nanoTime() - sending) / 1_000_000, sentA.encode(), sentB.encode());
                assertCompleteInOrder(aAtB, "reliable A->B over A's lossy uplink");
                assertCompleteInOrder(aAtC, "reliable A->C over A's lossy uplink");
                assertCompleteInOrder(bAtA, "reliable B->A over A's lossy downlink");
                assertCompleteInOrder(bAtC, "reliable B->C");
                assertThat(aAtB.getInteger("total")).as("B gets A's messages only").isEqualTo(MESSAGES);
                assertThat(bAtA.getInteger("total")).as("A gets B's messages only").isEqualTo(MESSAGES);
                assertThat(bAtC.getInteger("total")).as("C gets A's and B's messages only (read last)")
                        .isEqualTo(2 * MESSAGES);

                PrometheusScrape beforeLossy = PrometheusScrape.of(SERVER.origin());
                Map<String, Long> udpBefore = udpCounters();
                JsonObject sentLossy = sendNumbered(b, "B", "lossy", MESSAGES, LOSSY_RATE);
                List<JsonObject> lossy = settledLossy(a, c);
                JsonObject atA = lossy.get(0);
                JsonObject atC = lossy.get(1);
                PrometheusScrape settled = PrometheusScrape.of(SERVER.origin());
                long serverGotFromB = Math.round(messagesIn(settled) - messagesIn(beforeLossy));
                System.out.println("unordered maxRetransmits 0, B->A over the lossy downlink: " + atA.encode()
                        + ", B->C: " + atC.encode() + " (sending " + sentLossy.encode() + "); the server received "
                        + serverGotFromB + " from B; UDP " + difference(udpBefore, udpCounters()) + "; server "
                        + settled.startingWith("sluice_sctp") + settled.startingWith("sluice_datachannel"));
                assertThat(atA.getInteger("unique")).as("B->A lossy: none twice").isEqualTo(atA.getInteger("count"));
                assertThat(atA.getInteger("total")).as("A's lossy channel carries B's messages only")
                        .isEqualTo(atA.getInteger("count"));
                assertThat(atA.getInteger("count")).as("B->A lossy: at least 90% arrive, and the loss shows")
                        .isGreaterThanOrEqualTo(MESSAGES * 9 / 10).isLessThan(MESSAGES);
                assertThat(atC.getInteger("unique")).as("B->C lossy: none twice").isEqualTo(atC.getInteger("count"));
                assertThat(atC.getInteger("total")).as("C's lossy channel carries B's messages only")
                        .isEqualTo(atC.getInteger("count"));
                assertThat(atC.getInteger("count")).as("B->C lossy on a clean link: at least 90% arrive")
                        .isGreaterThanOrEqualTo(MESSAGES * 9 / 10).isLessThanOrEqualTo(MESSAGES);
                droppedUp = up.droppedPackets();
                droppedDown = down.droppedPackets();
            } finally {
                for (LossyLink link : links) {
                    link.close();
                }
            }
            PrometheusScrape after = PrometheusScrape.of(SERVER.origin());
            double retransmissions = after.sum("sluice_sctp_retransmissions_total")
                    - before.sum("sluice_sctp_retransmissions_total");
            System.out.println("netem dropped up " + droppedUp + ", down " + droppedDown + "; server SCTP "
                    + after.startingWith("sluice_sctp") + " " + after.startingWith("sluice_datachannel"));
            assertThat(droppedUp).isPositive();
            assertThat(droppedDown).isPositive();
            assertThat(retransmissions).as("the server's SCTP repaired A's lossy downlink").isPositive();
        }
        System.out.printf("data channel loss test with three participants: %d s%n",
                (System.nanoTime() - started) / 1_000_000_000L);
    }
}
