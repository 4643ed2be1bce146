package org.sluice.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.container.Podman;
import org.sluice.api.container.ServerImage;

/**
 * The container image: built offline from {@code deploy/Dockerfile} on the offline test base (Debian's JRE,
 * made by {@code deploy/test/build-test-base.sh}; {@link ServerImage}, built once for the container tests), run by
 * rootful podman inside this test's network namespace (loopback only). Its health check and {@code /health/*}
 * answer, a Chromium WHIP publisher and WHEP viewer decode through it, and {@code podman stop} (SIGTERM) drains: not
 * ready and no new sessions at once, live media until the drain time, then exit 143 well before podman's kill
 * timeout.
 */
@ExtendWith(ServerImage.Shared.class)
class ContainerImageInteropTest {

    private static final int DRAIN_SECONDS = 8;
    private static final int STOP_TIMEOUT_SECONDS = 60;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String container = "sluice-it-" + ProcessHandle.current().pid();
    private Podman podman;

    @TempDir
    Path dir;

    @BeforeEach
    void preconditions() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        ServerImage.requirePodmanJarAndBase(dir);
        podman = Podman.create(dir);
    }

    @AfterEach
    void removeContainer() throws Exception {
        if (podman != null) {
            podman.run(60, "rm", "-f", "-t", "0", container);
        }
    }

    @Test
    void theImageBuildsOfflineServesMediaAndDrainsOnStop(ServerImage serverImage) throws Exception {
        String image = serverImage.name();
        assertThat(podman.check(30, "image", "inspect", "--format", "{{.Config.User}} {{.Config.StopSignal}}", image)
                .strip()).isEqualTo("10001:10001 SIGTERM");

        int httpPort = freeTcpPort();
        int mediaPort = freeUdpPort();
        podman.check(120, "run", "-d", "--name", container, "--network", Podman.thisNetworkNamespace(),
                "--health-interval", "disable",
                "-e", "SLUICE_HTTP_PORT=" + httpPort, "-e", "SLUICE_MEDIA_UDP_PORT=" + mediaPort,
                "-e", "SLUICE_MEDIA_TCP_PORT=0", "-e", "SLUICE_MEDIA_ADVERTISED_ADDRESSES=127.0.0.1",
                "-e", "SLUICE_SHUTDOWN_DRAIN_TIME=" + DRAIN_SECONDS + "s", image);
        String origin = "http://127.0.0.1:" + httpPort;
        podman.awaitStatus(http, container, origin + "/health/ready", 200, Duration.ofSeconds(90));
        assertThat(get(origin + "/health/live").statusCode()).isEqualTo(200);
        assertThat(podman.run(60, "healthcheck", "run", container).exitCode()).as("the image's HEALTHCHECK").isZero();
        assertThat(podman.check(30, "exec", container, "id", "-u").strip()).isEqualTo("10001");

        String room = "container";
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage publisher = open(chromium, origin);
            BrowserPage viewer = open(chromium, origin);
            MediaPages.publish(publisher, room, 640, 360);
            MediaPages.watch(viewer, room);
            JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= 60 && s.getLong("frameWidth") == 640, MEDIA_DEADLINE);
            System.out.println("viewer through the container: " + stats.encode());
            assertThat(stats.getLong("framesDecoded")).isGreaterThanOrEqualTo(60);
            assertThat(stats.getLong("frameHeight")).isEqualTo(360);
            assertThat(stats.getString("connectionState")).isEqualTo("connected");

            String lateOffer = MediaPages.freshOffer(open(chromium, origin), "recvonly");
            long stopStarted = System.nanoTime();
            Process stop = podman.start("stop", "-t", String.valueOf(STOP_TIMEOUT_SECONDS), container);
            podman.awaitStatus(http, container, origin + "/health/ready", 503, Duration.ofSeconds(10));
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(origin + "/whep/" + room))
                    .header("Content-Type", "application/sdp").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(lateOffer)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("a new viewer while draining").isEqualTo(503);
            long framesAtDrain = MediaPages.viewerStats(viewer).getLong("framesDecoded");
            Thread.sleep(2500);
            long framesLater = MediaPages.viewerStats(viewer).getLong("framesDecoded");
            assertThat(framesLater).as("the live viewer keeps decoding during the drain").isGreaterThan(framesAtDrain + 20);

            assertThat(stop.waitFor(STOP_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)).isTrue();
            double stopSeconds = (System.nanoTime() - stopStarted) / 1e9;
            System.out.printf("podman stop took %.1f s (drain time %d s, kill after %d s)%n", stopSeconds,
                    DRAIN_SECONDS, STOP_TIMEOUT_SECONDS);
            assertThat(stop.exitValue()).isZero();
            assertThat(stopSeconds).as("stopped by the drain, not by podman's kill")
                    .isBetween(DRAIN_SECONDS - 1.0, STOP_TIMEOUT_SECONDS - 5.0);
            assertThat(podman.check(30, "inspect", "--format", "{{.State.ExitCode}}", container).strip())
                    .as("exit status after SIGTERM").isEqualTo("143");
            String logs = podman.check(30, "logs", container);
            assertThat(logs).contains("shutting down: not ready, admitting no sessions, draining 2 live")
                    .contains("drain time over with");
        }
    }

    private static BrowserPage open(Chromium chromium, String origin) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(origin + "/", Duration.ofSeconds(30));
        return page;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
