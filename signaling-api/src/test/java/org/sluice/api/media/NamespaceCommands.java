package org.sluice.api.media;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the test links ({@link LossyLink}, {@link RateLimitedLink}) share: running a command with a bounded wait,
 * and the checks that this JVM runs in a network namespace of the test's own with only loopback up, so their
 * iptables and tc rules never touch the machine's.
 */
final class NamespaceCommands {

    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private NamespaceCommands() {
    }

    /** Runs {@code command}, waiting at most ten seconds; its output, or an exception naming the failure. */
    static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited with " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }

    /** {@code ip netns identify <this pid>}: the name under /run/netns of this JVM's namespace, if it has one. */
    static Optional<String> currentNamespaceName() {
        try {
            String name = run(List.of("ip", "netns", "identify", Long.toString(ProcessHandle.current().pid()))).strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(name.lines().findFirst().orElse(""));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Interfaces other than loopback that are up (none in the test's namespace). */
    static List<String> nonLoopbackInterfacesUp() {
        try {
            return NetworkInterface.networkInterfaces().filter(nic -> {
                try {
                    return nic.isUp() && !nic.isLoopback();
                } catch (SocketException e) {
                    return true;
                }
            }).map(NetworkInterface::getName).toList();
        } catch (SocketException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }
}
