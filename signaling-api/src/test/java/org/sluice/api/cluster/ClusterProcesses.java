package org.sluice.api.cluster;

import io.vertx.core.json.JsonArray;
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

/**
 * Server JVMs ({@code org.sluice.api.Main}, this test's class path) clustered by static members on 127.0.0.1: each with
 * its own HTTP, media and cluster ports, one media loop, media on loopback, logs in a directory of the caller's.
 * {@link #kill} is SIGKILL; {@link #close} kills whatever is left. Only the processes started here are stopped.
 */
public final class ClusterProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterProcesses() {
    }

    /**
     * Starts {@code count} nodes and waits until each is ready and sees all members (at most {@code deadline}).
     *
     * @throws AssertionError when they do not (the logs in {@code logs} say why)
     */
    public static ClusterProcesses start(int count, Path logs, Duration deadline) throws Exception {
        ClusterProcesses cluster = new ClusterProcesses();
        try {
            Files.createDirectories(logs);
            int[] clusterPorts = new int[count];
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < count; i++) {
                clusterPorts[i] = freePort();
                members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(clusterPorts[i]);
            }
            for (int i = 0; i < count; i++) {
                int httpPort = freePort();
                cluster.urls.add("http://127.0.0.1:" + httpPort);
                cluster.processes.add(startNode(httpPort, freeUdpPort(), clusterPorts[i], members.toString(),
                        logs.resolve("node-" + i + ".log")));
            }
            long until = System.nanoTime() + deadline.toNanos();
            while (!cluster.allUp(count) && System.nanoTime() < until) {
                for (int i = 0; i < count; i++) {
                    if (!cluster.processes.get(i).isAlive()) {
                        throw new AssertionError("node " + i + " exited at start: "
                                + Files.readString(logs.resolve("node-" + i + ".log")).strip());
                    }
                }
                Thread.sleep(250);
            }
            if (!cluster.allUp(count)) {
                throw new AssertionError(count + " nodes not up and clustered within " + deadline + " (logs in "
                        + logs.toAbsolutePath() + ")");
            }
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private static Process startNode(int httpPort, int mediaPort, int clusterPort, String members, Path log)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "org.sluice.api.Main", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--media-udp-port=" + mediaPort, "--media-tcp-port=0", "--media-event-loops=1",
                "--media-bind-address=127.0.0.1", "--media-advertised-addresses=127.0.0.1", "--cluster-enabled=true",
                "--cluster-host=127.0.0.1", "--cluster-port=" + clusterPort, "--cluster-members=" + members,
                "--log-level=warn", "--log-levels=org.sluice.api.cluster=info")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private boolean allUp(int count) {
        for (int i = 0; i < urls.size(); i++) {
            if (!processes.get(i).isAlive() || !ready(i) || members(i) != count) {
                return false;
            }
        }
        return true;
    }

    /** Node {@code i}'s HTTP origin. */
    public String url(int i) {
        return urls.get(i);
    }

    /** Kills node {@code i} with SIGKILL (no goodbye to the cluster) and waits until it is gone. */
    public void kill(int i) throws InterruptedException {
        Process p = processes.get(i);
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + i + " did not die");
        }
    }

    /** A GET on node {@code i}. */
    public HttpResponse<String> get(int i, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(urls.get(i) + path)).timeout(Duration.ofSeconds(5)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean ready(int i) {
        try {
            return get(i, "/health/ready").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Node {@code i}'s {@code GET /api/cluster}. */
    public JsonObject cluster(int i) throws Exception {
        return new JsonObject(get(i, "/api/cluster").body());
    }

    /** The members node {@code i} sees, 0 when it does not answer. */
    public int members(int i) {
        try {
            JsonArray members = cluster(i).getJsonArray("members");
            return members == null ? 0 : members.size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Node {@code i}'s member id. */
    public String self(int i) throws Exception {
        return cluster(i).getString("self");
    }

    /** A UDP port free on loopback now (the media socket's). */
    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
