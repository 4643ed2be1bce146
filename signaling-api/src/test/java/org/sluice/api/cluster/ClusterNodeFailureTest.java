package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node failure with real processes: two servers started as separate JVMs ({@code org.sluice.api.Main} with
 * {@code --cluster-*} flags, on loopback), a broadcast claimed on the first, the first killed with SIGKILL. Its
 * rooms leave the directory within seconds: the survivor shows one member, and a publisher that re-POSTs to it is
 * served there instead of being redirected to the dead node. Processes are stopped by PID.
 */
class ClusterNodeFailureTest {

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Process startNode(int httpPort, int mediaPort, int clusterPort, String members, Path log)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.sluice.api.Main", "--http-port=" + httpPort, "--media-udp-port=" + mediaPort,
                "--media-tcp-port=0", "--media-event-loops=1", "--cluster-enabled=true", "--cluster-host=127.0.0.1",
                "--cluster-port=" + clusterPort, "--cluster-members=" + members, "--log-level=warn",
                "--log-levels=org.sluice.api.cluster=info")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> postOffer(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("not sdp"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int members(String origin) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/cluster"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body()).getJsonArray("members").size();
    }

    @Test
    void aKilledNodesBroadcastIsServedByTheSurvivorWithinSeconds() throws Exception {
        int[] http = {freePort(), freePort()};
        int[] media = {freePort(), freePort()};
        int[] cluster = {freePort(), freePort()};
        String members = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1];
        Path logs = Files.createDirectories(Path.of("target", "cluster-failure"));
        Process first = startNode(http[0], media[0], cluster[0], members, logs.resolve("node-0.log"));
        startNode(http[1], media[1], cluster[1], members, logs.resolve("node-1.log"));
        String a = "http://127.0.0.1:" + http[0];
        String b = "http://127.0.0.1:" + http[1];
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while ((status(a + "/health/ready") != 200 || status(b + "/health/ready") != 200 || members(b) < 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(members(b)).as("both nodes up and clustered (logs in %s)", logs.toAbsolutePath()).isEqualTo(2);

        assertThat(postOffer(a + "/whip/show").statusCode()).as("claimed at A").isEqualTo(400);
        HttpResponse<String> redirected = postOffer(b + "/whip/show");
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location")).contains(a + "/whip/show");

        long killedAt = System.nanoTime();
        first.destroyForcibly(); // SIGKILL: no goodbye to the cluster
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int code = postOffer(b + "/whip/show").statusCode();
        long until = killedAt + TimeUnit.SECONDS.toNanos(30);
        while (code != 400 && System.nanoTime() < until) {
            Thread.sleep(200);
            code = postOffer(b + "/whip/show").statusCode();
        }
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("after SIGKILL of node A, node B served A's broadcast after %.1f s%n", seconds);
        assertThat(code).as("B serves the broadcast now (the offer is refused there, not redirected)").isEqualTo(400);
        assertThat(seconds).isLessThan(15);
        assertThat(members(b)).isEqualTo(1);
    }
}
