package org.sluice.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.container.KubePlayPod;
import org.sluice.api.container.Podman;
import org.sluice.api.container.ServerImage;

/**
 * The Helm chart's pod on a container engine: {@code deploy/helm/sluice} rendered by {@code helm template} (Helm's
 * library) with the test image, one replica, no cluster and an auth Secret; the StatefulSet's pod 0 played by
 * {@code podman kube play} (rootful, inside this test's network namespace, which plays the node: its loopback
 * address is the node's IP), with the adaptations {@link KubePlayPod} names and prints. The test does the kubelet's
 * part that kube play leaves out: it waits on the rendered startup and readiness probes, then a Chromium WHIP
 * publisher and WHEP viewer, with tokens the pod's own {@code token} command signs with the Secret, decode through
 * the media port and the advertised address the chart set ({@code $(HOST_IP)}); it stops the pod as the kubelet
 * would (the preStop hook, then SIGTERM with the rendered grace period) and expects a drained exit, 143.
 */
@ExtendWith(ServerImage.Shared.class)
class KubePlayInteropTest {

    /** The node's IP as the pod's downward API gives it: the namespace's only address. */
    private static final String NODE_ADDRESS = "127.0.0.1";
    private static final String NAMESPACE = "media";
    private static final int DRAIN_SECONDS = 10;
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String release = "kp" + ProcessHandle.current().pid();
    private final String secret = release + "-auth";
    private Podman podman;
    private Path manifest;
    private KubePlayPod pod;

    @TempDir
    Path dir;

    @BeforeEach
    void preconditions() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        ServerImage.requirePodmanJarAndBase(dir);
        // --network host below means podman's own network namespace, which is this JVM's (java-in-netns.sh made
        // it); never the one the JVM was started from.
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        ServerImage.require(!networkNamespace(ProcessHandle.current().pid()).equals(networkNamespace(parent)),
                "true".equals(System.getenv("CI")), "the test JVM is not in a network namespace of its own");
        podman = Podman.create(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (podman == null) {
            return;
        }
        if (manifest != null) {
            podman.run(120, "kube", "down", manifest.toString());
        }
        if (pod != null) {
            podman.run(60, "pod", "rm", "-f", "-t", "0", pod.name());
        }
        // podman 4.3's kube down leaves secrets behind.
        podman.run(30, "secret", "rm", secret);
    }

    @Test
    void theChartsPodRunsUnderKubePlayAndServesWhipAndWhep(ServerImage image) throws Exception {
        long started = System.nanoTime();
        String rendered = new Helm(ServerImage.repositoryRoot().resolve("deploy/helm/sluice"))
                .template().withName(release).withNamespace(NAMESPACE)
                .set("image.repository", image.repository())
                .set("image.tag", image.tag())
                .set("replicas", "1")
                .set("cluster.enabled", "false")
                .set("auth.existingSecret", secret)
                .set("shutdown.drainSeconds", String.valueOf(DRAIN_SECONDS))
                .call();
        pod = KubePlayPod.fromRendered(rendered, NAMESPACE, NODE_ADDRESS);
        System.out.println("kube play adaptations of " + pod.name() + ":\n  " + String.join("\n  ", pod.adaptations()));
        manifest = dir.resolve("pod.json");
        Files.writeString(manifest, pod.manifest(), StandardCharsets.UTF_8);

        int httpPort = pod.port("http");
        int udpPort = pod.port("media-udp");
        int tcpPort = pod.port("media-tcp");
        requireFree(httpPort, udpPort, tcpPort);

        // The Secret the chart references (auth.existingSecret), as podman 4.3 reads one for a secretKeyRef: JSON
        // of the Secret's data. (A Secret manifest played by 4.3's kube play is stored as YAML, which its own
        // secretKeyRef lookup then refuses as "not valid JSON"; later podman reads both.)
        byte[] secretBytes = new byte[24];
        new SecureRandom().nextBytes(secretBytes);
        String authSecret = HexFormat.of().formatHex(secretBytes);
        assertThat(pod.secretKeyRefs()).containsExactly(new KubePlayPod.SecretKeyRef(secret, "auth-secret"));
        Path secretData = dir.resolve("secret.json");
        Files.writeString(secretData, new JsonObject().put("auth-secret",
                Base64.getEncoder().encodeToString(authSecret.getBytes(StandardCharsets.US_ASCII))).encode());
        podman.check(30, "secret", "create", secret, secretData.toString());

        try {
            podman.check(180, "kube", "play", "--network", "host", manifest.toString());
            String container = pod.podmanContainerName();
            String containerPid = podman.check(30, "inspect", "--format", "{{.State.Pid}}", container).strip();
            assertThat(networkNamespace(Long.parseLong(containerPid))).as("the pod runs in this test's network namespace")
                    .isEqualTo(networkNamespace(ProcessHandle.current().pid()));

            // The kubelet's probes: the startup probe until it passes, then readiness.
            String podOrigin = "http://" + NODE_ADDRESS + ":";
            KubePlayPod.HttpProbe startup = pod.probe("startupProbe");
            KubePlayPod.HttpProbe readiness = pod.probe("readinessProbe");
            KubePlayPod.HttpProbe liveness = pod.probe("livenessProbe");
            podman.awaitStatus(http, container, podOrigin + startup.port() + startup.path(), 200,
                    Duration.ofSeconds(120));
            podman.awaitStatus(http, container, podOrigin + readiness.port() + readiness.path(), 200,
                    Duration.ofSeconds(30));
            assertThat(get(podOrigin + liveness.port() + liveness.path()).statusCode()).isEqualTo(200);
            System.out.printf("pod ready %.1f s after the start of the test (image built in %.1f s)%n",
                    (System.nanoTime() - started) / 1e9, image.buildSeconds());

            assertThat(podman.check(30, "exec", container, "id", "-u").strip()).as("runAsUser").isEqualTo("10001");
            assertThat(podman.run(30, "exec", container, "touch", "/app/x").exitCode())
                    .as("readOnlyRootFilesystem").isNotZero();

            String origin = "http://" + NODE_ADDRESS + ":" + httpPort;
            String room = "kube";
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(origin + "/whip/" + room))
                    .header("Content-Type", "application/sdp").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("WHIP without a token: the Secret turned auth on").isEqualTo(401);
            List<String> tokenLines = podman.check(60, "exec", container, "java", "-jar", "/app/sluice-server.jar",
                    "token", "--room=" + room, "--publish", "--subscribe").strip().lines().toList();
            String token = tokenLines.get(tokenLines.size() - 1).strip();

            try (Chromium chromium = Chromium.launch()) {
                BrowserPage publisher = open(chromium, origin);
                BrowserPage viewer = open(chromium, origin);
                MediaPages.publish(publisher, room, 640, 360, token);
                MediaPages.watch(viewer, room, token);
                JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                        s -> s.getLong("framesDecoded") >= 60 && s.getLong("frameWidth") == 640, MEDIA_DEADLINE);
                System.out.println("viewer through the kube play pod: " + stats.encode());
                assertThat(stats.getLong("framesDecoded")).isGreaterThanOrEqualTo(60);
                assertThat(stats.getLong("frameHeight")).isEqualTo(360);
                assertThat(stats.getString("connectionState")).isEqualTo("connected");
                String answer = (String) viewer.evaluate("window.viewer.pc.remoteDescription.sdp");
                assertThat(answer).as("the answer's candidates: the advertised $(HOST_IP) and the chart's media ports")
                        .containsPattern(" udp \\d+ " + NODE_ADDRESS + " " + udpPort + " typ host")
                        .containsPattern(" tcp \\d+ " + NODE_ADDRESS + " " + tcpPort + " typ host tcptype passive");
                MediaPages.stopPublishing(publisher);
            }

            // Stopping as the kubelet does, which kube play does not: the preStop hook (the pod still ready), then
            // SIGTERM with what is left of the grace period. The drain ends in the server's own exit: 143.
            long stopStarted = System.nanoTime();
            List<String> preStop = new ArrayList<>(List.of("exec", container));
            preStop.addAll(pod.preStopCommand());
            podman.check(pod.gracePeriodSeconds(), preStop.toArray(String[]::new));
            assertThat(get(podOrigin + readiness.port() + readiness.path()).statusCode())
                    .as("ready until SIGTERM").isEqualTo(200);
            long left = pod.gracePeriodSeconds() - (System.nanoTime() - stopStarted) / 1_000_000_000L;
            podman.check(left + 30, "pod", "stop", "-t", String.valueOf(left), pod.name());
            double stopSeconds = (System.nanoTime() - stopStarted) / 1e9;
            System.out.printf("preStop %s and SIGTERM: the pod stopped after %.1f s (grace period %d s, drain %d s)%n",
                    pod.preStopCommand(), stopSeconds, pod.gracePeriodSeconds(), DRAIN_SECONDS);
            assertThat(podman.check(30, "inspect", "--format", "{{.State.ExitCode}}", container).strip())
                    .as("exit status after SIGTERM").isEqualTo("143");
            assertThat(stopSeconds).as("stopped by the drain, not killed at the end of the grace period")
                    .isLessThan(pod.gracePeriodSeconds() - 5.0);
            assertThat(podman.check(30, "logs", container)).contains("shutting down: not ready, admitting no sessions");
        } catch (Exception | AssertionError e) {
            System.out.println("played manifest:\n" + pod.manifest());
            System.out.println("pod log:\n" + podman.run(30, "logs", pod.podmanContainerName()).output());
            throw e;
        }
        podman.check(120, "kube", "down", manifest.toString());
        manifest = null;
        System.out.printf("kube play test done in %.1f s%n", (System.nanoTime() - started) / 1e9);
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

    /** Fails unless the pod can take these ports in this namespace (the node's). */
    private static void requireFree(int httpPort, int udpPort, int tcpPort) throws IOException {
        for (int port : List.of(httpPort, tcpPort)) {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        }
        new DatagramSocket(udpPort, InetAddress.getLoopbackAddress()).close();
    }

    private static String networkNamespace(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
    }
}
