package org.sluice.core.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The kernel's own view of the UDP sockets bound to one local port, read from Linux's {@code /proc/net/udp} and
 * {@code /proc/net/udp6} (of the network namespace the process runs in): datagrams the kernel dropped because a
 * socket's receive queue was full, and the bytes waiting in those queues now. A server that falls behind loses
 * packets here, before any code of ours sees them, so no counter of ours can count them.
 *
 * <p>Every socket on the port is summed (one per media loop with {@code SO_REUSEPORT}). Reading is a file read and a
 * parse: for a metrics scrape, never the packet path. One read gives both figures, and a read is reused for a
 * second by default, so a scrape that asks for both reads the files once (the kernel lists every UDP socket of the
 * namespace, thousands on a busy host, and writing those lines is most of the cost). Where the files are missing or
 * unreadable (not Linux) the figures are -1. Malformed lines are skipped.
 */
public final class UdpSocketTable {
    /** Where Linux lists UDP sockets. */
    public static final List<Path> PROC_FILES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    /** How long one read of the files answers by default. */
    public static final long DEFAULT_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<Path> files;
    private final int port;
    private final LongSupplier nanoClock;
    private final long reuseNanos;
    /** The last read and when it was made; guarded by this (scrapes may run at once). */
    private long[] last;
    private long lastReadNanos;

    /** The sockets on {@code port}, from {@link #PROC_FILES}, a read reused for {@link #DEFAULT_REUSE_NANOS}. */
    public UdpSocketTable(int port) {
        this(PROC_FILES, port, System::nanoTime, DEFAULT_REUSE_NANOS);
    }

    /** The sockets on {@code port}, from {@code files} in the {@code /proc/net/udp} format, read at every call. */
    public UdpSocketTable(List<Path> files, int port) {
        this(files, port, System::nanoTime, 0);
    }

    /** As above, a read answering for {@code reuseNanos} of {@code nanoClock} (0: every call reads). */
    public UdpSocketTable(List<Path> files, int port, LongSupplier nanoClock, long reuseNanos) {
        this.files = List.copyOf(files);
        this.port = port;
        this.nanoClock = nanoClock;
        this.reuseNanos = reuseNanos;
    }

    /** Datagrams the kernel dropped on the port's sockets since they were opened, or -1 when unknown. */
    public long drops() {
        return read()[1];
    }

    /** Bytes waiting in the port's receive queues now, or -1 when unknown. */
    public long receiveQueueBytes() {
        return read()[0];
    }

    /** Queued bytes and drops, from the last read if it is recent enough. */
    private synchronized long[] read() {
        long now = nanoClock.getAsLong();
        if (last == null || now - lastReadNanos >= reuseNanos) {
            last = readFiles();
            lastReadNanos = now;
        }
        return last;
    }

    private static final int COLUMN_LOCAL = 1;
    private static final int COLUMN_QUEUES = 4;
    private static final int COLUMN_DROPS = 12;

    /** Queued bytes and drops summed over the files, each read once; -1 for both when none could be read. */
    private long[] readFiles() {
        long queued = 0;
        long drops = 0;
        boolean read = false;
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException | SecurityException e) {
                continue;
            }
            read = true;
            queued += sumOf(text, port, COLUMN_QUEUES);
            drops += sumOf(text, port, COLUMN_DROPS);
        }
        return read ? new long[] {queued, drops} : new long[] {-1, -1};
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
