package org.sluice.core.sdp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.negotiation.AnswerPolicy;
import org.sluice.core.sdp.negotiation.LocalCapabilities;
import org.sluice.core.sdp.negotiation.NegotiatedSession;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.sdp.negotiation.SdpNegotiator;

/**
 * Headless Chromium makes four offers (WHIP-like sendonly, sendonly with three simulcast RIDs, WHEP-like recvonly,
 * sendrecv); {@link SdpNegotiator} answers them; a second page load makes the same offers and applies the answers
 * with {@code setRemoteDescription}, which must accept every one with the directions and RIDs we answered.
 * Chromium runs in a network namespace with only {@code lo}, so nothing leaves loopback. Needs root (for the
 * namespace) and {@code /usr/bin/chromium}; skips without them unless {@code CI=true}, where it fails.
 */
class ChromiumAnswerInteropTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void chromiumAcceptsOurAnswers() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(CHROMIUM)) {
            if (ci) {
                fail("CI=true but /usr/bin/chromium is missing");
            }
            Assumptions.abort("/usr/bin/chromium not installed");
        }
        String namespace = "sluice-sdp-" + ProcessHandle.current().pid();
        if (run(List.of("ip", "netns", "add", namespace)) != 0) {
            if (ci) {
                fail("CI=true but cannot create a network namespace (not root?)");
            }
            Assumptions.abort("cannot create a network namespace (needs root)");
        }
        try {
            run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"));
            copyPage();
            Files.writeString(dir.resolve("answers.js"), "window.ANSWERS = null;\n");
            Map<String, String> offers = browse(namespace, "");
            assertThat(offers).containsOnlyKeys("sendonly", "simulcast", "recvonly", "sendrecv");

            SdpNegotiator negotiator = new SdpNegotiator(LocalCapabilities.builder("sluiceUfrag",
                    "sluicePasswordOf24Chars0", new Fingerprint("sha-256",
                            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"))
                    .candidates(List.of("candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host")).build());
            StringBuilder js = new StringBuilder("window.ANSWERS = {\n");
            for (Map.Entry<String, String> e : offers.entrySet()) {
                NegotiatedSession s = negotiator.negotiate(e.getValue(), AnswerPolicy.sending(List.of(
                        new OutboundTrack("audio", "sluice", "sluice-audio", 1111, -1, "sluicecname"),
                        new OutboundTrack("video", "sluice", "sluice-video", 2222, 3333, "sluicecname")),
                        Direction.SENDRECV));
                js.append("  '").append(e.getKey()).append("': atob('")
                        .append(Base64.getEncoder().encodeToString(s.answerSdp().getBytes(StandardCharsets.US_ASCII)))
                        .append("'),\n");
            }
            Files.writeString(dir.resolve("answers.js"), js.append("};\n").toString());

            Map<String, String> results = browse(namespace, "#answers");
            assertThat(results.get("sendonly")).isEqualTo("OK 0:sendonly,1:sendonly rids=-,-");
            assertThat(results.get("simulcast")).isEqualTo("OK 0:sendonly,1:sendonly rids=-,q|h|f");
            assertThat(results.get("recvonly")).isEqualTo("OK 0:recvonly,1:recvonly rids=-,-");
            assertThat(results.get("sendrecv")).isEqualTo("OK 0:sendrecv,1:sendrecv rids=-,-");
        } finally {
            run(List.of("ip", "netns", "del", namespace));
        }
    }

    private void copyPage() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/sdp-interop/offers.html")) {
            Files.write(dir.resolve("offers.html"), in.readAllBytes());
        }
    }

    /** Loads the page in Chromium inside {@code namespace} and collects its SDPDUMP lines; stops it by PID. */
    private Map<String, String> browse(String namespace, String hash) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        Process chromium = new ProcessBuilder("ip", "netns", "exec", namespace, CHROMIUM.toString(),
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                dir.resolve("offers.html").toUri() + hash)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, String> results = new LinkedHashMap<>();
        Thread watchdog = new Thread(() -> {
            try {
                if (!chromium.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(chromium);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                int at = line.indexOf("SDPDUMP ");
                if (at >= 0) {
                    String[] parts = line.substring(at + 8).split("[ \"]", 3);
                    results.put(parts[0], new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.US_ASCII));
                } else if (line.contains("SDPDONE")) {
                    break;
                }
            }
        } finally {
            stop(chromium);
            watchdog.interrupt();
        }
        return results;
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
