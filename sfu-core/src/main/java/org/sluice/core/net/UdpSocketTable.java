package org.sluice.core.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own view of the UDP sockets bound to one local port, read from Linux's {@code /proc/net/udp} and
 * {@code /proc/net/udp6} (of the network namespace the process runs in): datagrams the kernel dropped because a
 * socket's receive queue was full, and the bytes waiting in those queues now. A server that falls behind loses
 * packets here, before any code of ours sees them, so no counter of ours can count them.
 *
 * <p>Every socket on the port is summed (one per media loop with {@code SO_REUSEPORT}). Reading is a file read and a
 * parse per call: for a metrics scrape, never the packet path. Where the files are missing or unreadable (not
 * Linux) the figures are -1. Malformed lines are skipped.
 */
public final class UdpSocketTable {
    /** Where Linux lists UDP sockets. */
    public static final List<Path> PROC_FILES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private final List<Path> files;
    private final int port;

    /** The sockets on {@code port}, from {@link #PROC_FILES}. */
    public UdpSocketTable(int port) {
        this(PROC_FILES, port);
    }

    /** The sockets on {@code port}, from {@code files} in the {@code /proc/net/udp} format. */
    public UdpSocketTable(List<Path> files, int port) {
        this.files = List.copyOf(files);
        this.port = port;
    }

    /** Datagrams the kernel dropped on the port's sockets since they were opened, or -1 when unknown. */
    public long drops() {
        return sum(COLUMN_DROPS);
    }

    /** Bytes waiting in the port's receive queues now, or -1 when unknown. */
    public long receiveQueueBytes() {
        return sum(COLUMN_QUEUES);
    }

    private static final int COLUMN_LOCAL = 1;
    private static final int COLUMN_QUEUES = 4;
    private static final int COLUMN_DROPS = 12;

    private long sum(int column) {
        long total = 0;
        boolean read = false;
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException | SecurityException e) {
                continue;
            }
            read = true;
            total += sumOf(text, port, column);
        }
        return read ? total : -1;
    }

    /** The column's sum over the table's lines whose local address has {@code port}. */
    static long sumOf(String table, int port, int column) {
        long total = 0;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length <= Math.max(COLUMN_DROPS, column) || localPort(fields[COLUMN_LOCAL]) != port) {
                continue;
            }
            total += column == COLUMN_QUEUES ? receiveQueue(fields[COLUMN_QUEUES]) : decimal(fields[column]);
        }
        return total;
    }

    /** The port of a {@code hexaddress:hexport} field, or -1. */
    private static int localPort(String field) {
        int colon = field.lastIndexOf(':');
        if (colon < 0 || colon == field.length() - 1 || field.length() - colon - 1 > 4) {
            return -1;
        }
        try {
            return Integer.parseInt(field.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The receive half of a {@code hex_tx:hex_rx} field, or 0. */
    private static long receiveQueue(String field) {
        int colon = field.indexOf(':');
        if (colon < 0 || colon == field.length() - 1) {
            return 0;
        }
        try {
            return Long.parseLong(field.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long decimal(String field) {
        try {
            return Math.max(0, Long.parseLong(field));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
