package org.sluice.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator's options: {@code --name=value} or {@code --name value}; repeatable options
 * collect every value. Unknown options and malformed values are errors with a one-line message.
 * Sizes take k/M suffixes (1M = 1000000), durations ms/s/m suffixes.
 */
public final class CommandLine {

    /** One option: its name, default (null: none) and help line. */
    record Option(String name, String defaultValue, boolean repeatable, String help) {
    }

    static final List<Option> OPTIONS = List.of(
            new Option("scenario", "broadcast", false, "'broadcast' (1 publisher -> N viewers per room, WHIP/WHEP), "
                    + "'conference' (M x M per room over /ws), 'mixed' (broadcast rooms and conference rooms at once,"
                    + " with the totals and each part's figures) or"
                    + " 'capacity' (the generator against itself, no server: what one core receives and checks)"),
            new Option("participants", "5", false, "conference and mixed: participants per conference room, each"
                    + " publishing and receiving all others in it"),
            new Option("conference-rooms", "1", false, "conference and mixed: conference rooms"),
            new Option("streams", "50", false, "capacity: sender/receiver pairs"),
            new Option("rate", "250k", false, "capacity: packets per second offered in total"),
            new Option("server", "http://127.0.0.1:8080", false, "the server's HTTP origin (WHIP/WHEP, /metrics)"),
            new Option("server-pid", null, false, "the server's PID, for CPU and RSS from /proc (unknown without it)"),
            new Option("viewer-servers", null, false, "broadcast: comma-separated HTTP origins the WHEP viewers post to "
                    + "in turn, e.g. a cluster's other nodes serving --server's broadcasts as edges (default: --server)"),
            new Option("token", null, false, "bearer token for WHIP/WHEP when the server has auth.secret"),
            new Option("start-server", null, false, "a sluice-server.jar to start on loopback (then --server and --server-pid are ignored)"),
            new Option("server-cpus", null, false, "with --start-server: CPU list for taskset, e.g. 0"),
            new Option("server-http-port", "18080", false, "with --start-server: its HTTP port"),
            new Option("server-udp-port", "20000", false, "with --start-server: its media UDP port"),
            new Option("server-jvm-arg", null, true, "with --start-server: a JVM option (repeatable)"),
            new Option("server-arg", null, true, "with --start-server: a server flag, e.g. --media-event-loops=1 (repeatable)"),
            new Option("server-log", "sluice-server.log", false, "with --start-server: where its output goes"),
            new Option("rooms", "1", false, "broadcast and mixed: broadcast rooms, each with one publisher"),
            new Option("viewers", "10", false, "broadcast and mixed: WHEP viewers per broadcast room"),
            new Option("churn", "0", false, "broadcast and mixed: viewers per second that leave (DELETE) and are"
                    + " replaced by new"
                    + " ones, through warm-up and window (e.g. 5 or 0.5)"),
            new Option("video-bitrate", "1M", false, "VP8 bits per second per publisher"),
            new Option("fps", "30", false, "video frames per second"),
            new Option("keyframe-interval", "2s", false, "time between VP8 key frames"),
            new Option("audio-bitrate", "32k", false, "Opus bits per second per publisher; 0 sends no audio"),
            new Option("max-payload", "1100", false, "largest RTP payload in bytes"),
            new Option("warmup", "5s", false, "time between the last viewer joining and the measurement window"),
            new Option("duration", "30s", false, "the measurement window"),
            new Option("drain", "1s", false, "time for packets in flight to arrive after the publishers stop"),
            new Option("setup-concurrency", "16", false, "viewers joining at the same time"),
            new Option("connect-timeout", "15s", false, "longest a session may take from offer to SRTP"),
            new Option("event-loops", "1", false, "generator event-loop threads (socket I/O, SRTP, checks)"),
            new Option("udp-gro", "on", false, "'on': the generator's sockets take a run of datagrams the server"
                    + " sent as one segmented message as one read (UDP_GRO, where the kernel has it); 'off': each"
                    + " datagram is queued on its own, work that loopback puts on the server's core"),
            new Option("dtls-threads", "16", false, "generator DTLS handshake threads (a handshake holds one until done: keep it >= --setup-concurrency)"),
            new Option("room-prefix", "loadgen-", false, "room names are this plus the room index (conference rooms:"
                    + " this plus 'conference', and '-' and the index when there are several)"),
            new Option("json", null, false, "also write the JSON report to this file (it always goes to stdout after the table)"),
            new Option("help", null, false, "print this help"));

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private CommandLine() {
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message for the user. */
    public static CommandLine parse(String... args) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = option(name);
            if (option == null) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            if (name.equals("help")) {
                line.values.put("help", List.of("true"));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            List<String> list = line.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!option.repeatable() && !list.isEmpty()) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
            list.add(value);
        }
        return line;
    }

    private static Option option(String name) {
        for (Option o : OPTIONS) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value given, else the default, else null. */
    public String text(String name) {
        List<String> list = values.get(name);
        if (list != null) {
            return list.get(0);
        }
        Option o = option(name);
        if (o == null) {
            throw new IllegalStateException("no option " + name);
        }
        return o.defaultValue();
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A whole number with an optional k or M suffix. */
    public long number(String name) {
        String text = text(name);
        try {
            return parseNumber(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": not a number: '" + text + "'");
        }
    }

    public int integer(String name) {
        long value = number(name);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " out of range: " + value);
        }
        return (int) value;
    }

    /** 'on' or 'off'. */
    public boolean onOff(String name) {
        String text = text(name);
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--" + name + ": 'on' or 'off', not '" + text + "'");
        };
    }

    public Duration duration(String name) {
        String text = text(name);
        try {
            return parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": not a duration (500ms, 30s, 2m): '" + text + "'");
        }
    }

    static long parseNumber(String text) {
        String t = text.trim();
        long scale = 1;
        if (t.endsWith("k") || t.endsWith("K")) {
            scale = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            scale = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), scale);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(text);
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long value;
        if (t.endsWith("ms")) {
            value = Long.parseLong(t.substring(0, t.length() - 2));
            return Duration.ofMillis(value);
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException(text);
    }

    /** The --help text. */
    public static String help() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: java -jar sluice-loadgen.jar [options]\n\n")
                .append("Simulated WHIP publishers and WHEP viewers with real ICE, DTLS and SRTP against a Sluice\n")
                .append("server on loopback. Every received packet is decrypted and checked (sequence, payload\n")
                .append("stamp, latency). Prints a table and a JSON report.\n\n")
                .append("Example (server on core 0, generator on core 1):\n")
                .append("  taskset -c 1 java -jar loadgen/target/sluice-loadgen.jar \\\n")
                .append("    --start-server signaling-api/target/sluice-server.jar --server-cpus 0 \\\n")
                .append("    --server-arg=--media-event-loops=1 --viewers 100 --duration 30s\n\n")
                .append("Mixed, 2 broadcast rooms of 100 viewers and 2 conference rooms of 6 participants at once\n")
                .append("(the report adds each part's loss, latency and received packets/s to the totals):\n")
                .append("  taskset -c 1 java -jar loadgen/target/sluice-loadgen.jar \\\n")
                .append("    --start-server signaling-api/target/sluice-server.jar --server-cpus 0 \\\n")
                .append("    --server-arg=--media-event-loops=1 --scenario mixed \\\n")
                .append("    --rooms 2 --viewers 100 --conference-rooms 2 --participants 6\n\n")
                .append("Options:\n");
        for (Option o : OPTIONS) {
            String head = "  --" + o.name() + (o.name().equals("help") ? "" : " VALUE");
            out.append(String.format(Locale.ROOT, "%-28s %s%s%n", head, o.help(),
                    o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")"));
        }
        return out.toString();
    }
}
