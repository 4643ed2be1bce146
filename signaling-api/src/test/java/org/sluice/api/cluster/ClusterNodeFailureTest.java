package org.sluice.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node failure with real processes: two servers started as separate JVMs ({@link ClusterProcesses}: {@code
 * org.sluice.api.Main} with {@code --cluster-*} flags, on loopback), a broadcast claimed on the first, the first killed with SIGKILL. Its
 * rooms leave the directory within seconds: the survivor shows one member, and a publisher that re-POSTs to it is
 * served there instead of being redirected to the dead node. Processes are stopped by PID.
 */
class ClusterNodeFailureTest {

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ClusterProcesses nodes;

    @AfterEach
    void stop() throws InterruptedException {
        if (nodes != null) {
            nodes.close();
        }
    }

    private HttpResponse<String> postOffer(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString("not sdp"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKilledNodesBroadcastIsServedByTheSurvivorWithinSeconds() throws Exception {
        nodes = ClusterProcesses.start(2, Path.of("target", "cluster-failure"), START_DEADLINE);
        String a = nodes.url(0);
        String b = nodes.url(1);

        assertThat(postOffer(a + "/whip/show").statusCode()).as("claimed at A").isEqualTo(400);
        HttpResponse<String> redirected = postOffer(b + "/whip/show");
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location")).contains(a + "/whip/show");

        long killedAt = System.nanoTime();
        nodes.kill(0); // SIGKILL: no goodbye to the cluster
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
        assertThat(nodes.members(1)).isEqualTo(1);
    }
}
