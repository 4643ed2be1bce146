package org.sluice.api.pion;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Pion (Go) client of {@code src/test/go/pion-client} (WHIP publisher, WHEP viewer, or data channel participant
 * of a conference): built once per test JVM into
 * {@code target/pion-client/}, run as a child process (so it shares the test JVM's network namespace),
 * read back through the JSON summaries it prints one per line (to a file beside the binary), and stopped by PID with SIGTERM, then
 * SIGKILL after a bounded wait.
 *
 * <p>The build is offline and in GOPATH mode against Debian's {@code golang-github-pion-webrtc.v3-dev}:
 * {@code GO111MODULE=off GOPATH=target/pion-client/gopath:/usr/share/gocode GOPROXY=off GOFLAGS= go build}.
 * Two things make {@code github.com/pion/webrtc/v3} resolve to {@code /usr/share/gocode/src/github.com/pion/webrtc}
 * (Go's minimal module compatibility): the source must sit inside a GOPATH {@code src} tree, hence the copy to
 * {@code target/pion-client/gopath/src/sluice/pion-client/}, and a {@code go.mod} must sit beside it. Without
 * either, {@code go build} reports that it cannot find the package. {@code golang.org/x/net/websocket} (Debian's
 * {@code golang-golang-x-net-dev}, which Pion's package depends on) has no major-version suffix and resolves from
 * {@code /usr/share/gocode/src} as it is.
 */
final class PionClient implements AutoCloseable {

    static final Path GO_SOURCES = Path.of("src/test/go/pion-client");
    static final Path DEBIAN_GOPATH = Path.of("/usr/share/gocode");
    static final Path PION_WEBRTC = DEBIAN_GOPATH.resolve("src/github.com/pion/webrtc/go.mod");
    /** The WebSocket package of the conference-data mode (Debian's golang-golang-x-net-dev, a dependency of Pion's). */
    static final Path X_NET_WEBSOCKET = DEBIAN_GOPATH.resolve("src/golang.org/x/net/websocket/websocket.go");
    static final List<Path> GO_CANDIDATES = List.of(Path.of("/usr/bin/go"), Path.of("/usr/lib/go/bin/go"));

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static Path binary;

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PionClient(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The go tool, if installed. */
    static Optional<Path> findGo() {
        return GO_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Skips the calling test unless the go tool and Debian's Pion and x/net sources are installed; under
     * {@code CI=true} a missing one fails it instead.
     */
    static void requireGoAndPion() {
        boolean ci = "true".equals(System.getenv("CI"));
        require(findGo().isPresent(), ci, "no go tool at " + GO_CANDIDATES + " (apt-get install -y golang-go)");
        require(Files.exists(PION_WEBRTC), ci, "no Pion sources at " + PION_WEBRTC
                + " (apt-get install -y golang-github-pion-webrtc.v3-dev)");
        require(Files.exists(X_NET_WEBSOCKET), ci, "no golang.org/x/net/websocket at " + X_NET_WEBSOCKET
                + " (apt-get install -y golang-golang-x-net-dev)");
    }

    /** Skips (or with {@code ci} fails) the calling test unless {@code condition} holds. */
    static void require(boolean condition, boolean ci, String reason) {
        if (condition) {
            return;
        }
        if (ci) {
            fail("Pion interop precondition not met under CI=true: " + reason);
        }
        assumeTrue(false, "skipping Pion interop: " + reason);
    }

    /** Builds the client once per JVM; returns the binary. */
    static synchronized Path build() throws Exception {
        if (binary != null) {
            return binary;
        }
        Path go = findGo().orElseThrow(() -> new IllegalStateException("no go tool at " + GO_CANDIDATES));
        Path root = Path.of("target/pion-client").toAbsolutePath();
        Path gopath = root.resolve("gopath");
        Path source = gopath.resolve("src/sluice/pion-client");
        Files.createDirectories(source);
        for (String file : List.of("main.go", "go.mod")) {
            Files.copy(GO_SOURCES.resolve(file), source.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path output = root.resolve("pion-client");
        Path log = root.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(go.toString(), "build", "-o", output.toString(), ".")
                .directory(source.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", gopath + ":" + DEBIAN_GOPATH);
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "");
        env.put("GOCACHE", root.resolve("go-cache").toString());
        env.put("CGO_ENABLED", "0");
        Process process = builder.start();
        if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(process);
            throw new IllegalStateException("go build did not finish within " + BUILD_TIMEOUT);
        }
        if (process.exitValue() != 0 || !Files.isExecutable(output)) {
            throw new IllegalStateException("go build failed (" + process.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        binary = output;
        return binary;
    }

    /**
     * Starts {@code pion-client -mode mode -server origin -room room}; its stdout (the JSON lines) and stderr go to
     * files in target/pion-client, which stay there for a look after the run.
     */
    static PionClient start(String mode, String origin, String room) throws Exception {
        return start(mode, origin, room, new String[0]);
    }

    /** As {@link #start(String, String, String)} with {@code flags} (e.g. {@code "-messages", "300"}) after the usual ones. */
    static PionClient start(String mode, String origin, String room, String... flags) throws Exception {
        Path binary = build();
        Path stdout = binary.resolveSibling(mode + "-" + room + ".jsonl");
        Path stderr = binary.resolveSibling(mode + "-" + room + ".log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-mode", mode, "-server", origin,
                "-room", room));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        return new PionClient(mode, process, stdout, stderr);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The latest summary, or an empty object before the first. */
    JsonObject latest() {
        List<JsonObject> all = summaries();
        return all.isEmpty() ? new JsonObject() : all.get(all.size() - 1);
    }

    /** Every complete summary line so far. */
    List<JsonObject> summaries() {
        List<JsonObject> out = new ArrayList<>();
        for (String line : lines()) {
            try {
                out.add(new JsonObject(line));
            } catch (DecodeException e) {
                // a line being written, or not a summary
            }
        }
        return out;
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Polls the latest summary until {@code condition} holds, the process exits or {@code timeout} passes. */
    JsonObject await(Predicate<JsonObject> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = latest();
        while (!condition.test(last) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = latest();
        }
        return latest();
    }

    /**
     * Polls every line printed so far until one satisfies {@code condition} (returned), the process exits or
     * {@code timeout} passes (then empty).
     */
    Optional<JsonObject> awaitLine(Predicate<JsonObject> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<JsonObject> found = summaries().stream().filter(condition).findFirst();
        while (found.isEmpty() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = summaries().stream().filter(condition).findFirst();
        }
        return found.isPresent() ? found : summaries().stream().filter(condition).findFirst();
    }

    /**
     * SIGTERM, then waits (bounded) for the exit and the final summary ({@code "final": true}); SIGKILL if it does
     * not exit in time. Returns the final summary, or throws if there is none.
     */
    JsonObject stop() throws Exception {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(process);
            throw new AssertionError(name + " did not exit within " + STOP_TIMEOUT + " of SIGTERM; " + log());
        }
        JsonObject last = latest();
        if (!last.getBoolean("final", false)) {
            throw new AssertionError(name + " exited with " + process.exitValue() + " and no final summary; last "
                    + last.encode() + "; " + log());
        }
        return last;
    }

    /** The process's stderr so far (the last 4000 characters). */
    String log() {
        String text;
        try {
            text = Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "(no log: " + e + ")";
        }
        return "stderr of " + name + ": " + text.substring(Math.max(0, text.length() - 4000));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(process);
        }
    }

    private static void stop(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
