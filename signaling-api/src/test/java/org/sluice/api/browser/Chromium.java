package org.sluice.api.browser;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A headless Chromium process with a fresh profile, driven over the DevTools protocol. Launched
 * with the flags in {@code /work/shared/TESTING.md} (fake media devices, no mDNS hiding, loopback
 * candidates allowed, no background networking); {@link #close()} kills the process tree by PID and
 * deletes the profile directory.
 */
public final class Chromium implements Browser {

    /** Where Debian's binary lives; {@code /usr/bin/chromium} is a wrapper adding flags. */
    static final List<Path> CANDIDATES = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(45);

    private final Process process;
    private final Path profile;
    private final DevToolsConnection devTools;

    private Chromium(Process process, Path profile, DevToolsConnection devTools) {
        this.process = process;
        this.profile = profile;
        this.devTools = devTools;
    }

    /** The Chromium binary on this machine, if any. */
    public static Optional<Path> findBinary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Launches Chromium and connects to its DevTools endpoint. */
    public static Chromium launch() throws Exception {
        return launch(new String[0]);
    }

    /**
     * As {@link #launch()} with {@code extraFlags} after the usual ones (a repeated switch takes the last value,
     * e.g. {@code --use-fake-device-for-media-stream=fps=30} for a 30 fps fake camera instead of its default 20).
     */
    public static Chromium launch(String... extraFlags) throws Exception {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException("no Chromium at " + CANDIDATES));
        Path profile = Files.createTempDirectory("sluice-chromium-");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
                "--remote-debugging-port=0", "--user-data-dir=" + profile));
        command.addAll(List.of(extraFlags));
        command.add("about:blank");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            URI endpoint = awaitDevToolsEndpoint(process, profile);
            return new Chromium(process, profile, DevToolsConnection.open(endpoint, COMMAND_TIMEOUT));
        } catch (Exception | Error e) {
            kill(process);
            deleteTree(profile);
            throw e;
        }
    }

    private static URI awaitDevToolsEndpoint(Process process, Path profile) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": " + tail(profile));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
                if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium wrote no DevToolsActivePort within " + LAUNCH_TIMEOUT + ": " + tail(profile));
    }

    private static String tail(Path profile) {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("chromium.log"), StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** Opens a new tab and attaches to it with a flattened session. */
    @Override
    public BrowserPage openPage() throws Exception {
        String targetId = devTools.send(null, "Target.createTarget", new JsonObject().put("url", "about:blank"),
                COMMAND_TIMEOUT).getString("targetId");
        String sessionId = devTools.send(null, "Target.attachToTarget",
                new JsonObject().put("targetId", targetId).put("flatten", true), COMMAND_TIMEOUT).getString("sessionId");
        return new ChromiumPage(devTools, sessionId);
    }

    /** The browser's process id. */
    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "chromium";
    }

    /** Kills Chromium and its child processes by PID, then deletes the profile. */
    @Override
    public void close() {
        devTools.close();
        kill(process);
        deleteTree(profile);
    }

    static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover temp directory is not worth failing a test for
        }
    }
}
