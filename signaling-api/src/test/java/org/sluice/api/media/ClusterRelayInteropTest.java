package org.sluice.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.cluster.ClusterProcesses;

/**
 * A cluster of three server JVMs (A, B, C: {@code org.sluice.api.Main} with {@code --cluster-*} flags, in this test's
 * network namespace on loopback) and Chromium. A viewer on A makes the broadcast A's; a Chromium publisher whose page
 * is on B is redirected (307) to A and sends three simulcast layers there; two WHEP viewers on B and one on C are
 * served where they are, each edge fed by one relay from A (asserted from the nodes'
 * metrics and admin API) that carries every layer. Then A is killed with SIGKILL: the publisher re-POSTs through B
 * (B becomes the origin), and the viewer on C decodes again within 5 s on the same peer connection, which never
 * renegotiated ({@code signalingState} stays {@code stable}, its session on C is the same). Processes are stopped by
 * PID.
 */
class ClusterRelayInteropTest {

    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern RELAYS = Pattern.compile("^sluice_relays\\{direction=\"(in|out)\",?\\} ([0-9.]+)",
            Pattern.MULTILINE);
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private ClusterProcesses nodes;

    @AfterEach
    void stop() throws InterruptedException {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void edgesPullTheBroadcastOnceAndItsViewersSurviveTheOriginsDeath() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        nodes = ClusterProcesses.start(3, Path.of("target", "cluster-relay"), START_DEADLINE);
        String a = nodes.url(A);
        String b = nodes.url(B);
        String c = nodes.url(C);
        String memberA = nodes.self(A);
        String memberB = nodes.self(B);
        String room = "relay-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            // A viewer on A comes first: the broadcast is A's. The publisher's page is on B: its WHIP POST is
            // redirected (307) to A.
            BrowserPage onA = chromium.openPage();
            onA.navigate(a + "/watch.html", Duration.ofSeconds(15));
            MediaPages.watch(onA, room);
            BrowserPage publisher = chromium.openPage();
            publisher.navigate(b + "/publish.html", Duration.ofSeconds(15));
            MediaPages.publishSimulcast(publisher, room, 1280, 720);
            assertThat(broadcast(A, room).getJsonObject("publisher").getString("relayFrom"))
                    .as("the publisher is on A, the origin").isNull();
            assertThat(counter(B, "sluice_cluster_redirects_total")).as("B redirected the WHIP POST").isPositive();

            List<BrowserPage> onB = List.of(chromium.openPage(), chromium.openPage());
            for (BrowserPage viewer : onB) {
                viewer.navigate(b + "/watch.html", Duration.ofSeconds(15));
                MediaPages.watch(viewer, room);
            }
            BrowserPage onC = chromium.openPage();
            onC.navigate(c + "/watch.html", Duration.ofSeconds(15));
            MediaPages.watch(onC, room);

            for (BrowserPage viewer : List.of(onA, onB.get(0), onB.get(1), onC)) {
                JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                        s -> s.getLong("framesDecoded") > 30 && s.getLong("audioPackets") > 50, Duration.ofSeconds(40));
                System.out.println("edge viewer: " + stats.encode());
                assertThat(stats.getLong("framesDecoded")).as("an edge viewer decodes through its relay").isGreaterThan(30);
                assertThat(stats.getLong("audioPackets")).isGreaterThan(50);
            }

            // One relay per edge, not per viewer: A sends two, B and C take one each; no node redirected a viewer.
            assertThat(relays(A, "out")).as("relays out of A").isEqualTo(2);
            assertThat(relays(B, "in")).as("relays into B").isEqualTo(1);
            assertThat(relays(C, "in")).as("relays into C").isEqualTo(1);
            JsonObject atA = broadcast(A, room);
            assertThat(atA.getJsonArray("viewers").stream().map(v -> ((JsonObject) v).getString("relayTo")).toList())
                    .as("A's receivers: its own viewer and the two edges")
                    .containsExactlyInAnyOrder(null, memberB, nodes.self(C));
            JsonObject atB = broadcast(B, room);
            assertThat(atB.getJsonObject("publisher").getString("relayFrom")).isEqualTo(memberA);
            assertThat(atB.getJsonArray("viewers")).hasSize(2);
            // Chromium adds its top layer once its estimate has grown: wait (bounded) for all three at the edge.
            List<String> rids = new ArrayList<>();
            long layersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!rids.containsAll(List.of("0", "1", "2")) && System.nanoTime() < layersDeadline) {
                rids.clear();
                for (Object stream : broadcast(B, room).getJsonObject("publisher").getJsonArray("streams")) {
                    rids.add(((JsonObject) stream).getString("rid"));
                }
                Thread.sleep(500);
            }
            System.out.println("layers arriving at edge B: " + rids + "; relays: A "
                    + nodes.cluster(A).getJsonObject("relays").encode());
            assertThat(rids).as("every simulcast layer reaches the edge").contains("0", "1", "2");
            String viewerOnC = broadcast(C, room).getJsonArray("viewers").getJsonObject(0).getString("sessionId");

            // SIGKILL of the origin: the publisher re-POSTs through B until B takes the broadcast.
            long killedAt = System.nanoTime();
            nodes.kill(A);
            BrowserPage republisher = chromium.openPage();
            republisher.navigate(b + "/publish.html", Duration.ofSeconds(15));
            long republishedAt = 0;
            long until = killedAt + TimeUnit.SECONDS.toNanos(45);
            while (republishedAt == 0 && System.nanoTime() < until) {
                try {
                    MediaPages.publishSimulcast(republisher, room, 1280, 720);
                    republishedAt = System.nanoTime();
                } catch (AssertionError refused) {
                    Thread.sleep(500); // still redirected to the dead node, or refused: the directory has not caught up
                }
            }
            assertThat(republishedAt).as("the publisher got through B within 45 s of the kill").isPositive();
            System.out.printf("publisher re-posted through B %.1f s after SIGKILL of A%n",
                    (republishedAt - killedAt) / 1e9);

            long framesAtRepublish = MediaPages.viewerStats(onC).getLong("framesDecoded");
            JsonObject resumed = MediaPages.awaitStats(() -> MediaPages.viewerStats(onC),
                    s -> s.getLong("framesDecoded") > framesAtRepublish + 15, Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - republishedAt) / 1e9;
            System.out.printf("viewer on C decoding again %.1f s after the re-POST: %s%n", seconds, resumed.encode());
            assertThat(resumed.getLong("framesDecoded")).as("C's viewer decodes again")
                    .isGreaterThan(framesAtRepublish + 15);
            assertThat(seconds).as("seconds from the re-POST until C's viewer decodes again").isLessThan(5);
            assertThat(resumed.getString("signalingState")).as("no new offer").isEqualTo("stable");
            assertThat(resumed.getString("connectionState")).isEqualTo("connected");
            assertThat(broadcast(C, room).getJsonArray("viewers").getJsonObject(0).getString("sessionId"))
                    .as("the same session on C").isEqualTo(viewerOnC);
            assertThat(broadcast(C, room).getJsonObject("publisher").getString("relayFrom")).isEqualTo(memberB);
            for (BrowserPage viewer : onB) {
                long before = MediaPages.viewerStats(viewer).getLong("framesDecoded");
                JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                        s -> s.getLong("framesDecoded") > before + 15, Duration.ofSeconds(20));
                assertThat(stats.getLong("framesDecoded")).as("B's viewers, now at the origin").isGreaterThan(before + 15);
            }
            assertThat(relays(B, "out")).as("B relays to C now").isEqualTo(1);
        }
    }

    private JsonObject broadcast(int node, String room) throws Exception {
        JsonObject body = new JsonObject(nodes.get(node, "/api/broadcasts").body());
        for (Object entry : body.getJsonArray("broadcasts")) {
            if (room.equals(((JsonObject) entry).getString("room"))) {
                return (JsonObject) entry;
            }
        }
        throw new AssertionError("no broadcast " + room + " at node " + node + ": " + body.encode());
    }

    /** A metric without labels from the node's Prometheus text. */
    private double counter(int node, String name) throws Exception {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " ([0-9.E+]+)$", Pattern.MULTILINE)
                .matcher(nodes.get(node, "/metrics").body());
        if (!m.find()) {
            throw new AssertionError("no " + name + " at node " + node);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The {@code sluice_relays} gauge of one direction from the node's Prometheus text. */
    private double relays(int node, String direction) throws Exception {
        Matcher m = RELAYS.matcher(nodes.get(node, "/metrics").body());
        while (m.find()) {
            if (m.group(1).equals(direction)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sluice_relays{direction=\"" + direction + "\"} at node " + node);
    }
}
