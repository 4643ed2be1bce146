package org.sluice.api.media;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random UDP loss on loopback for interop tests: iptables rules {@code -m statistic --mode random --probability P -j
 * DROP} in the {@code INPUT} chain of the test JVM's own network namespace, matching a source port, a destination
 * port or both. Loopback traffic passes {@code INPUT} once, on arrival, so each packet is dropped with probability P
 * as if the link had lost it; a drop in {@code OUTPUT} would instead fail the sender's {@code sendto} with EPERM,
 * which no real network does. A
 * viewer's downlink is the server's media port to the viewer's port ({@link #dropUdp(int, int, double)} with both);
 * a publisher's uplink is the publisher's port to the server's.
 *
 * <p>It refuses to touch iptables unless the JVM is inside the namespace {@code java-in-netns.sh} created for the
 * test run ({@code sluice-it-<pid>}, found by {@code ip netns identify}), that namespace differs from PID 1's (when
 * PID 1's can be read) and only loopback is up there: the host's firewall is never touched. Every rule carries a
 * comment unique to this link ({@code sluice-lossy-<pid>-<n>}); {@link #close()} deletes exactly those rules, by
 * their full specification.
 */
public final class LossyLink implements AutoCloseable {

    /** The prefix of the namespaces {@code src/test/netns/java-in-netns.sh} creates. */
    static final String TEST_NAMESPACE_PREFIX = "sluice-it-";
    static final List<Path> IPTABLES = List.of(Path.of("/usr/sbin/iptables"), Path.of("/sbin/iptables"));

    private static final AtomicInteger LINKS = new AtomicInteger();

    private final Path iptables;
    private final String comment;
    private final List<List<String>> rules = new ArrayList<>();
    private boolean closed;

    private LossyLink(Path iptables, String comment) {
        this.iptables = iptables;
        this.comment = comment;
    }

    /** A link with no rule yet; throws unless {@link #whyUnusable()} is empty. */
    public static LossyLink open() throws Exception {
        Optional<String> reason = whyUnusable();
        if (reason.isPresent()) {
            throw new IllegalStateException("refusing to install iptables rules: " + reason.get());
        }
        return new LossyLink(findIptables().orElseThrow(),
                "sluice-lossy-" + ProcessHandle.current().pid() + "-" + LINKS.incrementAndGet());
    }

    /** Drops each UDP packet from the server's {@code serverPort} to {@code viewerPort} with {@code probability}. */
    public static LossyLink viewerDownlink(int serverPort, int viewerPort, double probability) throws Exception {
        LossyLink link = open();
        link.dropUdp(serverPort, viewerPort, probability);
        return link;
    }

    /** Drops each UDP packet from {@code publisherPort} to the server's {@code serverPort} with {@code probability}. */
    public static LossyLink publisherUplink(int publisherPort, int serverPort, double probability) throws Exception {
        LossyLink link = open();
        link.dropUdp(publisherPort, serverPort, probability);
        return link;
    }

    /**
     * Why this JVM may not install rules, or empty when it may: iptables missing, not root, not inside a
     * {@code sluice-it-*} namespace, the same namespace as PID 1, or an interface other than loopback up.
     */
    public static Optional<String> whyUnusable() {
        if (findIptables().isEmpty()) {
            return Optional.of("no iptables at " + IPTABLES + " (apt-get install -y iptables)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root (user " + System.getProperty("user.name") + ")");
        }
        Optional<String> namespace = NamespaceCommands.currentNamespaceName();
        if (namespace.isEmpty() || !namespace.get().startsWith(TEST_NAMESPACE_PREFIX)) {
            return Optional.of("the JVM is not in a " + TEST_NAMESPACE_PREFIX + "* network namespace (ip netns identify: "
                    + namespace.orElse("none") + "); run it with `./mvnw verify` as root so java-in-netns.sh puts it in one");
        }
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            Path init = Files.readSymbolicLink(Path.of("/proc/1/ns/net"));
            if (self.equals(init)) {
                return Optional.of("the JVM shares PID 1's network namespace " + init);
            }
        } catch (IOException | SecurityException e) {
            // PID 1's namespace is unreadable here (a sandboxed init): the checks around this one decide
        }
        List<String> up = NamespaceCommands.nonLoopbackInterfacesUp();
        if (!up.isEmpty()) {
            return Optional.of("interfaces other than loopback are up " + up);
        }
        return Optional.empty();
    }

    /**
     * Adds a rule dropping UDP packets with {@code probability} (0 to 1) whose source port is {@code sourcePort} and
     * destination port {@code destinationPort}; 0 leaves that port unmatched (but not both).
     */
    public synchronized void dropUdp(int sourcePort, int destinationPort, double probability) throws Exception {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (sourcePort == 0 && destinationPort == 0) {
            throw new IllegalArgumentException("a rule needs a source or a destination port");
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability " + probability);
        }
        List<String> spec = new ArrayList<>(List.of("INPUT", "-p", "udp"));
        if (sourcePort != 0) {
            spec.addAll(List.of("--sport", Integer.toString(sourcePort)));
        }
        if (destinationPort != 0) {
            spec.addAll(List.of("--dport", Integer.toString(destinationPort)));
        }
        if (probability < 1) {
            spec.addAll(List.of("-m", "statistic", "--mode", "random", "--probability",
                    String.format(Locale.ROOT, "%.5f", probability)));
        }
        spec.addAll(List.of("-m", "comment", "--comment", comment, "-j", "DROP"));
        List<String> add = new ArrayList<>(List.of("-A"));
        add.addAll(spec);
        iptables(add);
        rules.add(spec);
    }

    /** Packets this link's rules have dropped so far (iptables' counters). */
    public synchronized long droppedPackets() throws Exception {
        long dropped = 0;
        for (String line : iptables(List.of("-L", "INPUT", "-v", "-x", "-n")).split("\n")) {
            if (line.contains("/* " + comment + " */")) {
                dropped += Long.parseLong(line.strip().split("\\s+")[0]);
            }
        }
        return dropped;
    }

    /** The unique comment on this link's rules. */
    public String comment() {
        return comment;
    }

    /** Deletes exactly the rules this link added (each by its full specification). */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        Exception failure = null;
        for (List<String> spec : rules) {
            List<String> delete = new ArrayList<>(List.of("-D"));
            delete.addAll(spec);
            try {
                iptables(delete);
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        rules.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private String iptables(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(iptables.toString(), "-w", "5"));
        command.addAll(arguments);
        return NamespaceCommands.run(command);
    }

    private static Optional<Path> findIptables() {
        return IPTABLES.stream().filter(Files::isExecutable).findFirst();
    }
}
