package org.sluice.api.pion;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.api.media.PrometheusScrape;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long-lived broadcast between two Pion (Go) peers through Sluice: a Pion WHIP publisher sends synthetic VP8
 * (30 fps, 3 packets per frame, a keyframe every 2 s) and Opus (50 packets/s), a Pion WHEP viewer watches for
 * 50 s, well past the server's 30 s consent timeout. Pion sends no STUN consent checks while media and RTCP flow in both directions, so this is the test that
 * the server keeps such sessions alive past the 30 s consent timeout (RFC 7675 lets authenticated SRTP/SRTCP from
 * the peer count as consent).
 *
 * <p>Packets are compared by the index every payload carries in its trailer (see {@code main.go}), so the check
 * does not depend on how the server maps sequence numbers. Per kind:
 * <ul>
 *   <li>start edge: the window begins with the first packet the viewer receives (index {@code firstIndex});
 *       packets the publisher sent before it are not counted, as the viewer was not subscribed yet. That first
 *       packet must come soon after the viewer connected (within one keyframe interval plus a second);</li>
 *   <li>end edge: the publisher stops sending, waits 500 ms (its {@code -drain}) for packets in flight, prints its
 *       last index, and only then is the viewer stopped; so no packet is allowed to be still in flight, and the
 *       viewer's last index must equal the publisher's;</li>
 *   <li>in between: every index from {@code firstIndex} to the publisher's last arrives, exactly once, with no
 *       forward jump in the viewer's sequence numbers.</li>
 * </ul>
 * Neither session may end: the engine still has both sessions and has closed no transport at the end, and both
 * Pion peers went to {@code connected} and nothing else.
 *
 * <p>Run alone (as root, so the JVM gets its loopback-only namespace; {@code -Dpion.run.seconds} shortens the run):
 * <pre>
 * CI=true ./mvnw -B -o -pl signaling-api test-compile surefire:test@interop -Dtest=PionInteropTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PionInteropTest {

    private static final String ROOM = "pion";
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("pion.run.seconds", 50));
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(20);
    /** The publisher's keyframe interval plus one second, in video packets (30 fps, 3 packets per frame). */
    private static final long VIDEO_START_SLACK = 3 * 90;
    private static final long AUDIO_START_SLACK = 50;

    private static LoopbackMediaServer server;

    @BeforeAll
    static void startServer() throws Exception {
        PionClient.requireGoAndPion();
        List<String> up = nonLoopbackInterfacesUp();
        PionClient.require(up.isEmpty(), "true".equals(System.getenv("CI")),
                "the test JVM sees network interfaces other than loopback up " + up
                        + "; run it with `./mvnw verify` as root so java-in-netns.sh puts it in a network namespace");
        PionClient.build();
        server = LoopbackMediaServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void pionViewerGetsEveryPacketOfAPionPublisherPastTheConsentTimeout() throws Exception {
        try (PionClient publisher = PionClient.start("whip", server.origin(), ROOM)) {
            JsonObject sending = publisher.await(s -> "connected".equals(s.getString("state"))
                    && packets(s, "video") > 0 && packets(s, "audio") > 0, CONNECT_DEADLINE);
            assertThat(packets(sending, "video")).as("publisher sending, %s; %s", sending, publisher.log()).isPositive();

            try (PionClient viewer = PionClient.start("whep", server.origin(), ROOM)) {
                JsonObject beforeViewer = publisher.latest();
                JsonObject first = viewer.await(s -> packets(s, "video") > 0 && packets(s, "audio") > 0,
                        CONNECT_DEADLINE);
                assertThat(packets(first, "video")).as("viewer receiving, %s; %s", first, viewer.log()).isPositive();
                assertThat(packets(first, "audio")).as("viewer receiving audio, %s", first).isPositive();

                // 50 s of media; a line every 10 s, and when the engine lost a session.
                List<String> timeline = new ArrayList<>();
                long start = System.nanoTime();
                int sessionsSeen = server.engine().sessionCount();
                // Stops early once the engine has closed a transport: the run has failed by then.
                while (System.nanoTime() - start < RUN.toNanos() && publisher.isAlive() && viewer.isAlive()
                        && server.engine().transportCounters().transportsClosed.sum() == 0) {
                    Thread.sleep(1000);
                    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                    int sessions = server.engine().sessionCount();
                    if (sessions != sessionsSeen || seconds % 10 == 0
                            || server.engine().transportCounters().transportsClosed.sum() > 0) {
                        String line = "t=" + seconds + "s sessions=" + sessions + " closedTransports="
                                + server.engine().transportCounters().transportsClosed.sum() + " viewer video="
                                + packets(viewer.latest(), "video") + " audio=" + packets(viewer.latest(), "audio")
                                + " state=" + viewer.latest().getString("state");
                        timeline.add(line);
                        System.out.println(line);
                        sessionsSeen = sessions;
                    }
                }
                int sessionsAtEnd = server.engine().sessionCount();
                long closedAtEnd = server.engine().transportCounters().transportsClosed.sum();
                PrometheusScrape metrics = PrometheusScrape.of(server.origin());
                System.out.println("server metrics at the end: " + metrics.startingWith("sluice_transports")
                        + " " + metrics.startingWith("sluice_sessions"));

                JsonObject sent = publisher.stop();
                JsonObject got = viewer.stop();
                System.out.println("publisher final: " + sent.encode());
                System.out.println("viewer final: " + got.encode());

                assertThat(closedAtEnd).as("transports closed during the run; %s", timeline).isZero();
                assertThat(sessionsAtEnd).as("sessions at the end; %s", timeline).isEqualTo(2);
                assertThat(metrics.sum("sluice_transports_closed_total")).as("sluice_transports_closed_total").isZero();
                // Pion 3.1 reports no 'connecting' on this path: 'connected' is its first state change.
                assertThat(states(sent)).as("publisher's connection states, %s", sent.getJsonArray("stateChanges"))
                        .containsExactly("connected");
                assertThat(states(got)).as("viewer's connection states, %s", got.getJsonArray("stateChanges"))
                        .containsExactly("connected");

                for (String kind : List.of("video", "audio")) {
                    JsonObject out = sent.getJsonObject(kind);
                    JsonObject in = got.getJsonObject(kind);
                    long lastSent = out.getLong("lastIndex");
                    long firstSeen = in.getLong("firstIndex");
                    long slack = kind.equals("video") ? VIDEO_START_SLACK : AUDIO_START_SLACK;
                    long sentBeforeViewer = beforeViewer.getJsonObject(kind).getLong("lastIndex");
                    assertThat(out.getLong("writeErrors")).as("%s write errors, %s", kind, out).isZero();
                    assertThat(in.getLong("noTrailer")).as("%s packets without the index trailer, %s", kind, in).isZero();
                    assertThat(firstSeen).as("%s: the viewer's first index vs the publisher's when it joined (%s)",
                            kind, sentBeforeViewer).isBetween(sentBeforeViewer, sentBeforeViewer + slack);
                    assertThat(in.getLong("lastIndex")).as("%s: last index received vs sent, %s vs %s", kind, in, out)
                            .isEqualTo(lastSent);
                    assertThat(in.getLong("distinct")).as("%s: every packet from the viewer's first to the publisher's"
                            + " last, %s", kind, in).isEqualTo(lastSent - firstSeen + 1);
                    assertThat(in.getLong("missing")).as("%s missing, %s", kind, in).isZero();
                    assertThat(in.getLong("duplicates")).as("%s duplicates, %s", kind, in).isZero();
                    assertThat(in.getLong("gaps")).as("%s sequence gaps, %s", kind, in).isZero();
                    assertThat(in.getLong("maxSilenceMs")).as("%s: longest pause between packets, %s", kind, in)
                            .isLessThan(1000);
                }
                assertThat(got.getJsonObject("video").getLong("keyframes")).as("keyframes seen (one per 2 s)")
                        .isGreaterThanOrEqualTo(RUN.toSeconds() / 2 - 2);
            }
        }
    }

    private static long packets(JsonObject summary, String kind) {
        JsonObject track = summary.getJsonObject(kind);
        return track == null ? 0 : track.getLong("packets", 0L);
    }

    /** The connection states a summary lists ({@code "connected@0.1s"} and so on), without their times. */
    private static List<String> states(JsonObject summary) {
        return summary.getJsonArray("stateChanges").stream().map(String::valueOf)
                .map(s -> s.substring(0, s.indexOf('@'))).toList();
    }

    private static List<String> nonLoopbackInterfacesUp() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return true;
            }
        }).map(NetworkInterface::getName).toList();
    }
}
