package org.sluice.loadgen;

import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.probe.ProcessProbe;
import org.sluice.loadgen.probe.ServerProcess;
import org.sluice.loadgen.report.ReportJson;
import org.sluice.loadgen.report.ReportTable;
import org.sluice.loadgen.scenario.BroadcastScenario;
import org.sluice.loadgen.scenario.BroadcastSettings;
import org.sluice.loadgen.scenario.CapacityScenario;
import org.sluice.loadgen.scenario.ConferenceScenario;
import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.MixedScenario;
import org.sluice.loadgen.scenario.RunResult;
import org.sluice.loadgen.scenario.ServerView;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code java -jar sluice-loadgen.jar [options]}: exit 0 after a run, 1 when it failed, 2 on bad options. */
public final class LoadGeneratorMain {

    private LoadGeneratorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with {@code args}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line;
        BroadcastSettings settings;
        PeerNetwork.Options peers;
        try {
            line = CommandLine.parse(args);
            if (line.has("help")) {
                out.print(CommandLine.help());
                return 0;
            }
            if ("capacity".equals(line.text("scenario"))) {
                return capacity(line, out, err);
            }
            if (!List.of("broadcast", "conference", "mixed").contains(line.text("scenario"))) {
                throw new IllegalArgumentException("--scenario: 'broadcast', 'conference', 'mixed' or 'capacity'");
            }
            settings = settings(line);
            peers = new PeerNetwork.Options(line.integer("event-loops"), line.integer("dtls-threads"),
                    line.onOff("udp-gro"));
        } catch (IllegalArgumentException e) {
            err.println("sluice-loadgen: " + e.getMessage());
            return 2;
        }
        ServerProcess started = null;
        try {
            URI origin = URI.create(line.text("server"));
            long pid = line.has("server-pid") ? line.number("server-pid") : -1;
            if (line.has("start-server")) {
                err.println("starting " + line.text("start-server"));
                started = ServerProcess.start(Path.of(line.text("start-server")), line.text("server-cpus"),
                        line.all("server-jvm-arg"), line.all("server-arg"), line.integer("server-http-port"),
                        line.integer("server-udp-port"), Path.of(line.text("server-log")), Duration.ofSeconds(30));
                origin = started.origin();
                pid = started.pid();
                ServerProcess server = started;
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-server")); // e.g. on SIGTERM
            }
            Optional<String> token = Optional.ofNullable(line.text("token"));
            RunResult result = switch (line.text("scenario")) {
                case "conference" -> conference(line.integer("conference-rooms"), line.integer("participants"),
                        settings, origin, token, pid, peers, err);
                case "mixed" -> mixed(settings, line.integer("conference-rooms"), line.integer("participants"),
                        origin, token, pid, peers, err);
                default -> run(settings, origin, viewerServers(line), token, pid, peers, err);
            };
            out.print(ReportTable.of(result));
            String json = ReportJson.of(result, machineNote());
            out.println();
            out.print(json);
            if (line.has("json")) {
                Files.writeString(Path.of(line.text("json")), json, StandardCharsets.UTF_8);
            }
            return 0;
        } catch (Exception e) {
            err.println("sluice-loadgen: run failed: " + e);
            return 1;
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static int capacity(CommandLine line, PrintStream out, PrintStream err) {
        CapacityScenario scenario = new CapacityScenario(line.integer("streams"), line.integer("rate"),
                line.duration("warmup"), line.duration("duration"), err);
        try {
            CapacityScenario.Result r = scenario.run();
            String table = String.format(Locale.ROOT, """
                    generator capacity     %d streams, offered %.0f packets/s, received %.0f packets/s
                    receive loop           %.2f us CPU per received packet (decrypt, checks, recvmmsg): %.0f packets/s per core; loop busy %.0f %%
                    send loop              %.2f us CPU per sent packet (stamp, encrypt, sendmmsg, loopback delivery)
                    checks                 %d sent, %d received in order, %d lost, %d check failures, %d undecryptable
                    """, r.streams(), r.offeredPerSecond(), r.receivedPerSecond(), r.receiveMicrosPerPacket(),
                    r.packetsPerSecondPerCore(), r.receiveLoopCpuShare() * 100, r.sendMicrosPerPacket(), r.sent(),
                    r.received(), r.lost(), r.checkFailures(), r.undecryptable());
            out.print(table);
            String json = String.format(Locale.ROOT, "{\"scenario\": \"capacity\", \"streams\": %d, "
                    + "\"offeredPerSecond\": %.0f, \"receivedPerSecond\": %.0f, \"receiveMicrosPerPacket\": %.3f, "
                    + "\"packetsPerSecondPerCore\": %.0f, \"receiveLoopCpuShare\": %.3f, \"sendMicrosPerPacket\": %.3f, "
                    + "\"sent\": %d, \"received\": %d, \"lost\": %d, \"checkFailures\": %d, \"undecryptable\": %d, "
                    + "\"note\": \"%s\"}%n", r.streams(), r.offeredPerSecond(), r.receivedPerSecond(),
                    r.receiveMicrosPerPacket(), r.packetsPerSecondPerCore(), r.receiveLoopCpuShare(),
                    r.sendMicrosPerPacket(), r.sent(), r.received(), r.lost(), r.checkFailures(), r.undecryptable(),
                    machineNote()).replace("NaN", "null");
            out.println();
            out.print(json);
            if (line.has("json")) {
                Files.writeString(Path.of(line.text("json")), json, StandardCharsets.UTF_8);
            }
            return 0;
        } catch (Exception e) {
            err.println("sluice-loadgen: run failed: " + e);
            return 1;
        }
    }

    /** Runs one broadcast scenario against the server at {@code origin} ({@code serverPid} -1 when unknown). */
    public static RunResult run(BroadcastSettings settings, URI origin, Optional<String> token, long serverPid,
                                PeerNetwork.Options peers, PrintStream progress) throws Exception {
        return run(settings, origin, java.util.List.of(), token, serverPid, peers, progress);
    }

    /**
     * As above, with the viewers posting to {@code viewerServers} in turn (a cluster's edges; {@code origin} when
     * empty); the server readings are {@code origin}'s.
     */
    public static RunResult run(BroadcastSettings settings, URI origin, java.util.List<URI> viewerServers,
                                Optional<String> token, long serverPid, PeerNetwork.Options peers,
                                PrintStream progress) throws Exception {
        HttpSignaling signaling = new HttpSignaling(origin, viewerServers, token, Duration.ofSeconds(10));
        ServerView server = serverView(signaling, serverPid);
        try (PeerNetwork network = new PeerNetwork(peers)) {
            return new BroadcastScenario(settings, network, signaling, server, progress).run(serverPid);
        }
    }

    /** Runs one conference of {@code participants} with the media and timing of {@code settings}. */
    public static RunResult conference(int participants, BroadcastSettings settings, URI origin, Optional<String> token,
                                       long serverPid, PeerNetwork.Options peers, PrintStream progress)
            throws Exception {
        return conference(1, participants, settings, origin, token, serverPid, peers, progress);
    }

    /** Runs {@code rooms} conferences of {@code participants} each with the media and timing of {@code settings}. */
    public static RunResult conference(int rooms, int participants, BroadcastSettings settings, URI origin,
                                       Optional<String> token, long serverPid, PeerNetwork.Options peers,
                                       PrintStream progress) throws Exception {
        HttpSignaling signaling = new HttpSignaling(origin, token, Duration.ofSeconds(10));
        ServerView server = serverView(signaling, serverPid);
        try (PeerNetwork network = new PeerNetwork(peers)) {
            return new ConferenceScenario(rooms, participants, settings.media(), settings.warmup(),
                    settings.duration(), settings.drain(), settings.connectTimeout(),
                    settings.roomPrefix() + "conference", network, origin, token.orElse(null), server, progress)
                    .run(serverPid);
        }
    }

    /**
     * Runs the broadcast rooms of {@code settings} and {@code conferenceRooms} conferences of {@code participants}
     * at once, all with the media and timing of {@code settings}.
     */
    public static RunResult mixed(BroadcastSettings settings, int conferenceRooms, int participants, URI origin,
                                  Optional<String> token, long serverPid, PeerNetwork.Options peers,
                                  PrintStream progress) throws Exception {
        HttpSignaling signaling = new HttpSignaling(origin, token, Duration.ofSeconds(10));
        ServerView server = serverView(signaling, serverPid);
        try (PeerNetwork network = new PeerNetwork(peers)) {
            return new MixedScenario(settings, conferenceRooms, participants, network, signaling, origin,
                    token.orElse(null), server, progress).run(serverPid);
        }
    }

    /** The server's readings through {@code signaling}, and from /proc when its PID is known (above 0). */
    private static ServerView serverView(HttpSignaling signaling, long serverPid) {
        return new ServerView(signaling, serverPid > 0 ? Optional.of(new ProcessProbe(serverPid)) : Optional.empty());
    }

    private static java.util.List<URI> viewerServers(CommandLine line) {
        if (!line.has("viewer-servers")) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(line.text("viewer-servers").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(URI::create).toList();
    }

    static BroadcastSettings settings(CommandLine line) {
        MediaSettings media = new MediaSettings(line.integer("video-bitrate"), line.integer("fps"),
                (int) line.duration("keyframe-interval").toMillis(), line.integer("audio-bitrate"),
                line.integer("max-payload"));
        return new BroadcastSettings(line.integer("rooms"), line.integer("viewers"), media, line.duration("warmup"),
                line.duration("duration"), line.duration("drain"), line.integer("setup-concurrency"),
                line.duration("connect-timeout"), line.text("room-prefix"), churn(line.text("churn")));
    }

    private static double churn(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--churn: a number of viewers per second, not '" + text + "'");
        }
    }

    private static String machineNote() {
        return Runtime.getRuntime().availableProcessors() + " CPUs visible to the generator, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

}
