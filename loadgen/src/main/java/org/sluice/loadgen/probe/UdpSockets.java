package org.sluice.loadgen.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Kernel counters of UDP sockets from {@code /proc/net/udp} and {@code /proc/net/udp6}: for the sockets bound to the given local
 * ports, the bytes waiting in their receive queues and the datagrams dropped because a queue was full
 * (the last column). It tells where loss happened: at the server's socket or at the generator's. Lines
 * that do not parse are skipped; an unreadable table answers -1.
 */
public final class UdpSockets {

    /** Summed over the matching sockets; -1 when the table could not be read or no socket matched. */
    public record Totals(int sockets, long receiveQueueBytes, long drops) {
    }

    private final List<Path> tables;

    /** Both tables: Java and Netty bind IPv4 addresses on dual-stack IPv6 sockets, listed in udp6. */
    public UdpSockets() {
        this(List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    UdpSockets(List<Path> tables) {
        this.tables = tables;
    }

    public Totals of(Set<Integer> localPorts) {
        int sockets = 0;
        long queued = 0;
        long drops = 0;
        boolean read = false;
        for (Path table : tables) {
            try {
                Totals t = parse(Files.readString(table, StandardCharsets.US_ASCII), localPorts);
                read = true;
                if (t.sockets() > 0) {
                    sockets += t.sockets();
                    queued += t.receiveQueueBytes();
                    drops += t.drops();
                }
            } catch (IOException | RuntimeException e) {
                // that table is missing (no IPv6) or unreadable
            }
        }
        return !read || sockets == 0 ? new Totals(0, -1, -1) : new Totals(sockets, queued, drops);
    }

    static Totals parse(String text, Set<Integer> localPorts) {
        int sockets = 0;
        long queued = 0;
        long drops = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
            if (f.length < 13 || !f[0].endsWith(":")) {
                continue;
            }
            try {
                int colon = f[1].indexOf(':');
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                if (!localPorts.contains(port)) {
                    continue;
                }
                String[] queues = f[4].split(":");
                queued += Long.parseLong(queues[1], 16);
                drops += Long.parseLong(f[12]);
                sockets++;
            } catch (RuntimeException e) {
                // not a socket line
            }
        }
        return sockets == 0 ? new Totals(0, -1, -1) : new Totals(sockets, queued, drops);
    }
}
