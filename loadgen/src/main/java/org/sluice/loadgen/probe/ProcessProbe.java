package org.sluice.loadgen.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time ({@code utime + stime} from {@code /proc/<pid>/stat}, in clock ticks of 1/100 s, the Linux
 * {@code USER_HZ}) and resident memory ({@code VmRSS} from {@code /proc/<pid>/status}) of one process, and the CPU
 * time of those of its threads whose name starts with a given prefix ({@code /proc/<pid>/task/<tid>/stat}; the
 * kernel's name is the first 15 bytes of the Java thread's). Unreadable or malformed files answer -1.
 */
public final class ProcessProbe {

    /** Linux reports stat times in USER_HZ, which is 100 on every mainstream architecture. */
    public static final long TICKS_PER_SECOND = 100;

    private final Path stat;
    private final Path status;
    private final long pid;

    public ProcessProbe(long pid) {
        this(pid, Path.of("/proc"));
    }

    ProcessProbe(long pid, Path proc) {
        this.pid = pid;
        this.stat = proc.resolve(Long.toString(pid)).resolve("stat");
        this.status = proc.resolve(Long.toString(pid)).resolve("status");
    }

    public long pid() {
        return pid;
    }

    /** User plus system CPU time in microseconds, or -1. */
    public long cpuMicros() {
        try {
            return parseCpuTicks(Files.readString(stat, StandardCharsets.US_ASCII)) * (1_000_000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * User plus system CPU time in microseconds of the live threads whose name starts with any of {@code prefixes}
     * (threads that ended are not counted), or -1 when the task list cannot be read.
     */
    public long threadCpuMicros(String... prefixes) {
        Path tasks = stat.resolveSibling("task");
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String line;
                try {
                    line = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException | RuntimeException e) {
                    continue; // the thread ended meanwhile
                }
                if (startsWithAny(threadName(line), prefixes)) {
                    long t = parseCpuTicks(line);
                    ticks += Math.max(t, 0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * (1_000_000 / TICKS_PER_SECOND);
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The command name (field 2, between the first '(' and the last ')') of a stat line; "" when malformed. */
    static String threadName(String statLine) {
        int open = statLine.indexOf('(');
        int close = statLine.lastIndexOf(')');
        return open < 0 || close <= open ? "" : statLine.substring(open + 1, close);
    }

    /** VmRSS in kilobytes, or -1. */
    public long rssKilobytes() {
        try {
            return parseRssKilobytes(Files.readString(status, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (fields 14 and 15) from a stat line; the command name (field 2) may hold spaces and ')'. */
    static long parseCpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = statLine.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        if (fields.length < 13) {
            return -1;
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long parseRssKilobytes(String statusText) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }
}
