package org.sluice.api.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs rootful podman for a test whose JVM lives in a network namespace made by {@code java-in-netns.sh}.
 * {@code ip netns exec} gave this JVM its own mount namespace with a fresh {@code /sys} (no cgroup mounts), where
 * the OCI runtime cannot start containers; so podman runs in the mount namespace of the JVM's parent (the
 * wrapper script) through {@code nsenter}, and containers join this JVM's network namespace
 * ({@code --network ns:/proc/<pid>/ns/net}). A private {@code containers.conf} selects runc (crun refuses this
 * machine's hybrid cgroups), keeps rlimits at what this sandbox allows and drops the default sysctls that a
 * shared network namespace refuses. Every command is bounded in time.
 */
public final class Podman {

    private final Path containersConf;
    private final Optional<Long> hostMountNamespacePid;

    private Podman(Path containersConf, Optional<Long> hostMountNamespacePid) {
        this.containersConf = containersConf;
        this.hostMountNamespacePid = hostMountNamespacePid;
    }

    /** A podman runner with its configuration written under {@code dir}. */
    public static Podman create(Path dir) throws IOException {
        long nofile = hardLimit("Max open files", 20000);
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, """
                [containers]
                default_sysctls = []
                default_ulimits = ["nofile=%d:%d", "nproc=32768:32768"]
                [engine]
                runtime = "runc"
                """.formatted(nofile, nofile), StandardCharsets.UTF_8);
        Optional<Long> parent = ProcessHandle.current().parent().map(ProcessHandle::pid)
                .filter(pid -> !sameMountNamespace(pid));
        return new Podman(conf, parent);
    }

    /** The value for {@code --network} that puts a container in this JVM's network namespace. */
    public static String thisNetworkNamespace() {
        return "ns:/proc/" + ProcessHandle.current().pid() + "/ns/net";
    }

    /** Runs {@code podman args...}; returns its exit code and output. */
    public Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process process = start(args);
        byte[] out;
        try (var stream = process.getInputStream()) {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("podman " + String.join(" ", args) + " took over " + timeoutSeconds + " s");
            }
            out = stream.readAllBytes();
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code podman args...} and fails unless it exits 0; returns its output. */
    public String check(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Result result = run(timeoutSeconds, args);
        if (result.exitCode() != 0) {
            throw new IOException("podman " + String.join(" ", args) + " exited " + result.exitCode() + ":\n"
                    + tail(result.output()));
        }
        return result.output();
    }

    /** Starts {@code podman args...} without waiting (output goes to a file under the process's lifetime). */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        hostMountNamespacePid.ifPresent(pid -> command.addAll(List.of("nsenter", "--mount=/proc/" + pid + "/ns/mnt", "--")));
        command.add("podman");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CONTAINERS_CONF", containersConf.toString());
        return builder.start();
    }

    /**
     * Polls {@code url} with {@code http} every 250 ms until it answers {@code status}; fails the test after
     * {@code timeout} with the last answer and {@code container}'s log.
     */
    public void awaitStatus(java.net.http.HttpClient http, String container, String url, int status,
                            java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest
                                .newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(3)).GET()
                                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == status) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + timeout + " (last: " + last
                + ")\ncontainer log:\n" + run(30, "logs", container).output());
    }

    /** Whether podman, runc and nsenter are installed. */
    public static boolean installed() {
        return onPath("podman") && onPath("runc") && onPath("nsenter");
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameMountNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static long hardLimit(String name, long fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String[] fields = line.substring(name.length()).trim().split("\\s+");
                    return fields[1].equals("unlimited") ? fallback : Long.parseLong(fields[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return fallback;
    }

    static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    /** A finished podman command. */
    public record Result(int exitCode, String output) {
    }
}
