package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.cluster.LoopbackCluster;
import org.sluice.api.conference.ClientPage.Join;

/**
 * Two clustered servers (A and B, each its own engine, Hazelcast on loopback) and Chromium clients that reach the
 * wrong node: a conference participant whose page and WebSocket are on B joins a room that A serves (the server
 * answers {@code wrong_node}, the JS client goes to A) and exchanges audio and video with a participant on A; a
 * WHIP publisher on B's publish page is redirected (307) to A, whose broadcast it is (a viewer there came first), and
 * the viewer plays it. Every session lives on A; B serves none. (A WHEP viewer at the wrong node is served there,
 * through a relay: {@code ClusterRelayInteropTest}.)
 */
class ClusterInteropTest {

    private static LoopbackCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        cluster = LoopbackCluster.start(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aParticipantOnTheWrongNodeIsSentToTheRoomsNodeAndMediaFlows() throws Exception {
        String a = cluster.node(0).origin();
        String b = cluster.node(1).origin();
        String room = "cluster-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage first = ClientPage.join(chromium, a, Join.publishing(room, "OnA"));
            ClientPage second = ClientPage.join(chromium, b, Join.publishing(room, "ViaB"));
            assertThat(second.run("return window.conf.client._url")).as("the client moved to A's socket")
                    .isEqualTo(a.replace("http://", "ws://") + "/ws");
            TrackFlow.assertFlowing(first, second.camera(), true, "ViaB's camera at OnA");
            TrackFlow.assertFlowing(second, first.camera(), true, "OnA's camera at ViaB");
            TrackFlow.assertFlowing(second, first.microphone(), false, "OnA's microphone at ViaB");
            assertThat(cluster.node(0).engine().participantCount()).isEqualTo(2);
            assertThat(cluster.node(1).engine().participantCount()).isZero();
        }
    }

    @Test
    void aPublisherOnTheWrongNodeIsRedirectedToTheRoomsNode() throws Exception {
        String a = cluster.node(0).origin();
        String b = cluster.node(1).origin();
        String room = "show-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            // A viewer on A comes first: the broadcast is A's from then on.
            BrowserPage watch = chromium.openPage();
            watch.navigate(a + "/watch.html", Duration.ofSeconds(15));
            watch.evaluate("document.getElementById('room').value = '" + room
                    + "'; document.getElementById('start').click()");
            Polling.until(() -> cluster.node(0).engine().viewerCount(), n -> n == 1, Duration.ofSeconds(20));

            // The publisher's page and WHIP POST are on B: 307 to A (RFC 9725 §4.5), where it publishes.
            BrowserPage publish = chromium.openPage();
            publish.navigate(b + "/publish.html", Duration.ofSeconds(15));
            publish.evaluate("document.getElementById('room').value = '" + room
                    + "'; document.getElementById('start').click()");
            Polling.until(() -> cluster.node(0).engine().publisherCount(), n -> n == 1, Duration.ofSeconds(20));
            JsonObject playing = Polling.until(() -> (JsonObject) watch.evaluate("""
                            (() => { const v = document.getElementById('player');
                                     return { videoWidth: v.videoWidth, currentTime: v.currentTime,
                                              state: document.getElementById('state').textContent }; })()"""),
                    p -> p.getLong("videoWidth") > 0, Duration.ofSeconds(40)); // a background page: no playback clock
            System.out.println("viewer on A, publisher redirected from B: " + playing.encode());
            assertThat(playing.getLong("videoWidth")).as("a decoded frame sized the player").isPositive();
            assertThat(playing.getString("state")).isEqualTo("connected");
            assertThat(cluster.node(0).engine().sessionCount()).as("publisher and viewer on A").isEqualTo(2);
            assertThat(cluster.node(1).engine().sessionCount()).isZero();
            assertThat(cluster.node(1).server().directory().redirects()).isPositive();

            publish.evaluate("document.getElementById('stop').click()");
            assertThat(Polling.until(() -> cluster.node(0).engine().publisherCount(), n -> n == 0,
                    Duration.ofSeconds(10))).as("the publisher's DELETE reached A").isZero();
        }
    }
}
