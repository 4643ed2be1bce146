package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.cluster.ClusterProcesses;
import org.sluice.api.conference.ClientPage.Join;

/**
 * A conference room's node dies and its participants carry on elsewhere. Two server JVMs (A and B, in this test's
 * network namespace) and Chromium: the room lives on A (a participant joined there first), two participants enter
 * through B and are sent to A ({@code wrong_node}), and all three exchange video there. A is killed with SIGKILL: the
 * JS client's reconnect path finds A's socket refused, joins afresh through the URL it was given (B, which takes the
 * room over) on a new peer connection, publishes its camera and microphone again, and the two exchange media again.
 * Processes are stopped by PID.
 */
class ClusterConferenceFailoverInteropTest {

    private static final int A = 0;
    private static final int B = 1;
    private ClusterProcesses nodes;

    @AfterEach
    void stop() throws InterruptedException {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void participantsOfADeadNodeRejoinThroughTheirEntryNodeAndMediaFlowsAgain() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        nodes = ClusterProcesses.start(2, Path.of("target", "cluster-conference-failover"), Duration.ofSeconds(120));
        String a = nodes.url(A);
        String b = nodes.url(B);
        String room = "failover-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage onA = ClientPage.join(chromium, a, Join.publishing(room, "OnA")); // the room is A's from now on
            ClientPage first = ClientPage.join(chromium, b, Join.publishing(room, "ViaB1"));
            ClientPage second = ClientPage.join(chromium, b, Join.publishing(room, "ViaB2"));
            String atA = a.replace("http://", "ws://") + "/ws";
            assertThat(first.run("return client._url")).as("sent to the room's node").isEqualTo(atA);
            assertThat(second.run("return client._url")).isEqualTo(atA);
            TrackFlow.assertFlowing(second, first.camera(), true, "ViaB1's camera at ViaB2 on A");
            TrackFlow.assertFlowing(first, second.camera(), true, "ViaB2's camera at ViaB1 on A");
            TrackFlow.assertFlowing(first, onA.camera(), true, "OnA's camera at ViaB1: joined through two nodes");
            TrackFlow.assertFlowing(onA, first.camera(), true, "ViaB1's camera at OnA");

            long killedAt = System.nanoTime();
            nodes.kill(A);
            String atB = b.replace("http://", "ws://") + "/ws";
            for (ClientPage page : new ClientPage[] {first, second}) {
                Object moved = Polling.until(() -> page.run(
                                "return client.state === 'joined' && client._url === '" + atB + "'"
                                        + " && client.self.id !== '" + page.id() + "'"),
                        Boolean.TRUE::equals, Duration.ofSeconds(30));
                assertThat(moved).as("%s rejoined through B (events %s)", page.name(), page.run(
                        "return JSON.stringify(window.conf.events.slice(-8))")).isEqualTo(Boolean.TRUE);
            }
            System.out.printf("both participants rejoined through B %.1f s after SIGKILL of A%n",
                    (System.nanoTime() - killedAt) / 1e9);
            String firstCamera = republishedCamera(first);
            String secondCamera = republishedCamera(second);
            assertThat(firstCamera).as("a new track id on the new node").isNotEqualTo(first.camera());
            TrackFlow.assertFlowing(second, firstCamera, true, "ViaB1's camera at ViaB2 on B");
            TrackFlow.assertFlowing(first, secondCamera, true, "ViaB2's camera at ViaB1 on B");
            System.out.printf("media flowing again on B %.1f s after SIGKILL of A%n",
                    (System.nanoTime() - killedAt) / 1e9);
            assertThat(first.run("return window.conf.events.some(e => e.type === 'reconnected')")).isEqualTo(true);
            assertThat(first.run("return window.conf.events.some(e => e.type === 'removed')"))
                    .as("never removed").isEqualTo(false);
        }
    }

    /** The id the server gave the page's camera when it was published again, once it has one. */
    private static String republishedCamera(ClientPage page) throws Exception {
        Object id = Polling.until(() -> page.run(
                        "return client._locals.find(l => l.track.kind === 'video')?.trackId ?? null"),
                v -> v instanceof String, Duration.ofSeconds(20));
        assertThat(id).as("%s's camera published again", page.name()).isInstanceOf(String.class);
        return (String) id;
    }
}
