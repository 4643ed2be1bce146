package org.sluice.api.media;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bottleneck on loopback for interop tests: the UDP packets toward one destination port (a receiver's downlink)
 * leave {@code lo} at most at a given rate through a drop-tail queue, as behind a slow access link. Everything else
 * on loopback passes at 10 Gbit/s.
 *
 * <p>It is an HTB tree at the root of {@code lo} in the test JVM's own network namespace:
 * <pre>
 * qdisc 1: htb default 10
 *   class 1:10 htb rate 10gbit                      everything else
 *   class 1:20 htb rate R ceil R                    the capped port
 *     qdisc 20: pfifo limit N                       drop-tail queue of N packets
 * filter parent 1: prio 1 u32 (IPv4, UDP, dport P) -> 1:20
 * filter parent 1: prio 2 u32 (IPv6, UDP, dport P) -> 1:20
 * </pre>
 * {@link #setRate(int)} changes R, {@link #lift()} removes the filters (the port goes back to the fast class) and
 * {@link #setRate(int)} after it adds them again. {@link #close()} deletes the root qdisc it added, which takes its
 * classes, queue and filters with it, leaving {@code lo} as it was (noqueue).
 *
 * <p>Like {@link LossyLink} it refuses to run unless the JVM is root inside the namespace {@code java-in-netns.sh}
 * created for the test run ({@code sluice-it-<pid>}), that namespace differs from PID 1's and only loopback is up
 * there: the host's qdiscs are never touched. It also refuses when {@code lo} already has a root qdisc (another
 * link open in the same JVM, or anything it did not put there). This kernel has {@code htb}, {@code pfifo} and
 * {@code u32}; it has no {@code netem}, so no delay is added beyond what the queue holds.
 */
public final class RateLimitedLink implements AutoCloseable {

    static final List<Path> TC = List.of(Path.of("/usr/sbin/tc"), Path.of("/sbin/tc"));
    /** The default queue: 60 packets, about 0.8 s of 1200-byte RTP packets at 700 kbit/s. */
    public static final int DEFAULT_QUEUE_PACKETS = 60;

    private static final String DEVICE = "lo";
    private static final String FAST_RATE = "10gbit";
    private static final Pattern SENT = Pattern.compile(
            "qdisc pfifo 20: .*?Sent (\\d+) bytes (\\d+) pkt \\(dropped (\\d+)", Pattern.DOTALL);

    private final Path tc;
    private final int port;
    private int rateKbit;
    private boolean filtered;
    private boolean closed;

    private RateLimitedLink(Path tc, int port, int rateKbit) {
        this.tc = tc;
        this.port = port;
        this.rateKbit = rateKbit;
    }

    /** Caps UDP toward {@code destinationPort} at {@code rateKbit} kbit/s with a queue of {@value #DEFAULT_QUEUE_PACKETS} packets. */
    public static RateLimitedLink toUdpPort(int destinationPort, int rateKbit) throws Exception {
        return toUdpPort(destinationPort, rateKbit, DEFAULT_QUEUE_PACKETS);
    }

    /** Caps UDP toward {@code destinationPort} at {@code rateKbit} kbit/s behind a drop-tail queue of {@code queuePackets}. */
    public static RateLimitedLink toUdpPort(int destinationPort, int rateKbit, int queuePackets) throws Exception {
        if (destinationPort <= 0 || destinationPort > 65535) {
            throw new IllegalArgumentException("port " + destinationPort);
        }
        checkRate(rateKbit);
        if (queuePackets <= 0) {
            throw new IllegalArgumentException("queue of " + queuePackets + " packets");
        }
        Optional<String> reason = whyUnusable();
        if (reason.isPresent()) {
            throw new IllegalStateException("refusing to change qdiscs: " + reason.get());
        }
        Path tc = findTc().orElseThrow();
        String root = NamespaceCommands.run(List.of(tc.toString(), "qdisc", "show", "dev", DEVICE, "root"));
        if (!root.isBlank() && !root.startsWith("qdisc noqueue 0: root")) {
            throw new IllegalStateException("refusing to replace the root qdisc of " + DEVICE + ": " + root.strip());
        }
        RateLimitedLink link = new RateLimitedLink(tc, destinationPort, rateKbit);
        link.tc("qdisc", "add", "dev", DEVICE, "root", "handle", "1:", "htb", "default", "10");
        try {
            link.tc("class", "add", "dev", DEVICE, "parent", "1:", "classid", "1:10", "htb", "rate", FAST_RATE);
            link.tc("class", "add", "dev", DEVICE, "parent", "1:", "classid", "1:20", "htb",
                    "rate", rateKbit + "kbit", "ceil", rateKbit + "kbit");
            link.tc("qdisc", "add", "dev", DEVICE, "parent", "1:20", "handle", "20:", "pfifo",
                    "limit", Integer.toString(queuePackets));
            link.addFilters();
        } catch (Exception e) {
            try {
                link.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return link;
    }

    /**
     * Why this JVM may not change qdiscs, or empty when it may: tc missing, not root, not inside a
     * {@code sluice-it-*} namespace, the same namespace as PID 1, or an interface other than loopback up.
     */
    public static Optional<String> whyUnusable() {
        if (findTc().isEmpty()) {
            return Optional.of("no tc at " + TC + " (apt-get install -y iproute2)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root (user " + System.getProperty("user.name") + ")");
        }
        Optional<String> namespace = NamespaceCommands.currentNamespaceName();
        if (namespace.isEmpty() || !namespace.get().startsWith(LossyLink.TEST_NAMESPACE_PREFIX)) {
            return Optional.of("the JVM is not in a " + LossyLink.TEST_NAMESPACE_PREFIX
                    + "* network namespace (ip netns identify: " + namespace.orElse("none")
                    + "); run it through surefire:test@interop as root so java-in-netns.sh puts it in one");
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

    /** The capped destination port. */
    public int port() {
        return port;
    }

    /** The current cap in kbit/s (also while lifted: the rate {@link #setRate} would restore). */
    public synchronized int rateKbit() {
        return rateKbit;
    }

    /** Whether the cap is in force (not {@link #lift() lifted}). */
    public synchronized boolean capped() {
        return filtered;
    }

    /** Changes the cap to {@code kbit} kbit/s; after {@link #lift()} it applies the cap again. */
    public synchronized void setRate(int kbit) throws Exception {
        ensureOpen();
        checkRate(kbit);
        tc("class", "change", "dev", DEVICE, "parent", "1:", "classid", "1:20", "htb",
                "rate", kbit + "kbit", "ceil", kbit + "kbit");
        rateKbit = kbit;
        if (!filtered) {
            addFilters();
        }
    }

    /** Lets the port's packets through at full speed again (its filters go; what is queued drains at the cap). */
    public synchronized void lift() throws Exception {
        ensureOpen();
        if (filtered) {
            deleteFilters();
        }
    }

    /** What the queue has sent and dropped so far. */
    public synchronized Counters counters() throws Exception {
        ensureOpen();
        String stats = NamespaceCommands.run(List.of(tc.toString(), "-s", "qdisc", "show", "dev", DEVICE));
        Matcher m = SENT.matcher(stats);
        if (!m.find()) {
            throw new IllegalStateException("no pfifo 20: in " + stats);
        }
        return new Counters(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** {@code tc qdisc show dev lo} now, for messages. */
    public static String qdiscs() throws Exception {
        return NamespaceCommands.run(List.of(findTc().orElseThrow().toString(), "-s", "qdisc", "show", "dev", DEVICE)).strip();
    }

    /** The queue's packet counters: bytes and packets it sent on, packets it dropped (tail drops). */
    public record Counters(long sentBytes, long sentPackets, long droppedPackets) {
    }

    /** Deletes the root qdisc this link added, and with it its classes, queue and filters. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        filtered = false;
        String root = NamespaceCommands.run(List.of(tc.toString(), "qdisc", "show", "dev", DEVICE, "root"));
        if (!root.startsWith("qdisc htb 1: root")) {
            throw new IllegalStateException("the root qdisc of " + DEVICE + " is no longer this link's: " + root.strip());
        }
        tc("qdisc", "del", "dev", DEVICE, "root");
    }

    private void addFilters() throws Exception {
        tc("filter", "add", "dev", DEVICE, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", "protocol", "17", "0xff", "match", "ip", "dport", Integer.toString(port), "0xffff",
                "flowid", "1:20");
        filtered = true;
        tc("filter", "add", "dev", DEVICE, "parent", "1:", "protocol", "ipv6", "prio", "2", "u32",
                "match", "ip6", "protocol", "17", "0xff", "match", "ip6", "dport", Integer.toString(port), "0xffff",
                "flowid", "1:20");
    }

    private void deleteFilters() throws Exception {
        // Priorities 1 and 2 under 1: hold only this link's filters: the root is its own.
        tc("filter", "del", "dev", DEVICE, "parent", "1:", "protocol", "ip", "prio", "1");
        tc("filter", "del", "dev", DEVICE, "parent", "1:", "protocol", "ipv6", "prio", "2");
        filtered = false;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    private static void checkRate(int kbit) {
        if (kbit < 8 || kbit > 10_000_000) {
            throw new IllegalArgumentException("rate " + kbit + " kbit/s");
        }
    }

    private String tc(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(tc.toString()));
        command.addAll(List.of(arguments));
        return NamespaceCommands.run(command);
    }

    private static Optional<Path> findTc() {
        return TC.stream().filter(Files::isExecutable).findFirst();
    }
}
