package org.sluice.api;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import org.sluice.api.auth.Authentication;
import org.sluice.api.auth.KeyFormatException;
import org.sluice.api.conference.ConferenceSocketSettings;
import org.sluice.api.conference.MicrometerSocketMetrics;
import org.sluice.api.config.ConfigException;
import org.sluice.api.config.ConfigKey;
import org.sluice.api.config.ConfigLoader;
import org.sluice.api.config.ServerConfig;
import org.sluice.api.logging.LogbackSetup;
import org.sluice.api.metrics.ServerMetrics;
import org.sluice.api.shutdown.GracefulShutdown;
import org.sluice.rtp.srtp.GcmBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sluice-server.jar [--config file] [--http-port=8080] ...}: loads the
 * configuration, starts the engine and the HTTP server, and on SIGTERM drains live sessions (up to
 * {@code shutdown.drain-time}) before stopping both. Exit code 2 for
 * bad configuration, 1 when the engine or the server cannot start; one line on stderr either way.
 */
public final class Main {

    /** Exit code for invalid configuration. */
    public static final int EXIT_BAD_CONFIG = 2;
    /** Exit code when the engine or HTTP server cannot start. */
    public static final int EXIT_START_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        int exit = run(args, System.getenv(), EngineWiring.production(), System.out, System.err);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /**
     * Starts the server; returns 0 when it is running (a shutdown hook stops it), otherwise the exit code.
     */
    static int run(String[] args, Map<String, String> env, EngineFactory engines, PrintStream out,
            PrintStream err) {
        if (args.length > 0 && args[0].equals(TokenCommand.NAME)) {
            return TokenCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, Clock.systemUTC(), out,
                    err);
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                printUsage(out);
                return 0;
            }
        }
        ServerConfig config;
        try {
            config = new ConfigLoader(env, Runtime.getRuntime().availableProcessors()).load(args);
        } catch (ConfigException e) {
            err.println("sluice: configuration error: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        LogbackSetup.apply(config.logging());
        Logger log = LoggerFactory.getLogger(Main.class);
        Authentication authentication;
        try {
            authentication = Authentication.load(config.authSecret(), config.auth(), Clock.systemUTC());
        } catch (KeyFormatException e) {
            err.println("sluice: configuration error: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        if (!config.authEnabled()) {
            log.warn("no auth secret configured: every token (or none) is accepted; listening on {} only",
                    config.httpHost());
        }
        Engine engine;
        try {
            engine = engines.start(config);
        } catch (EngineUnavailableException e) {
            err.println("sluice: cannot start the media engine: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        ServerMetrics metrics = new ServerMetrics();
        if (engine.metrics() != null) {
            metrics.bind(engine.metrics());
        }
        SluiceServer server;
        try {
            server = SluiceServer.start(config, engine.sessions(), engine.conferences(), metrics,
                    socketSettings(config, metrics), authentication);
        } catch (IOException e) {
            err.println("sluice: " + e.getMessage());
            closeEngine(engine);
            metrics.close();
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new ShutdownSequence(server, engine.drain(),
                GracefulShutdown.withSystemClock(config.shutdownDrainTime()), () -> closeEngine(engine), metrics),
                "sluice-shutdown"));
        log.info("SRTP AES-GCM backend: {}", GcmBackend.selected());
        log.info("Sluice listening on http://{}:{}/ ({})", config.httpHost(), server.httpPort(), config);
        return 0;
    }

    private static ConferenceSocketSettings socketSettings(ServerConfig config, ServerMetrics metrics) {
        return ConferenceSocketSettings.defaults(config.iceServers(), config.conferenceSettings().reconnectGrace(),
                Clock.systemUTC(), new MicrometerSocketMetrics(metrics.registry()));
    }

    private static void closeEngine(Engine engine) {
        try {
            engine.shutdown().close();
        } catch (Exception e) {
            LoggerFactory.getLogger(Main.class).warn("engine did not close cleanly: {}", e.toString());
        }
    }

    private static void printUsage(PrintStream out) {
        out.println("usage: java -jar sluice-server.jar [--config FILE] [--KEY=VALUE ...]");
        out.println("       java -jar sluice-server.jar token --room=NAME [--publish] [--subscribe] [--admin]"
                + " [--ttl=SECONDS] [--name=NAME] [--config FILE] [--KEY=VALUE ...]");
        out.println("keys (flag / environment variable / config file key); see docs/configuration.md:");
        for (ConfigKey key : ConfigKey.values()) {
            out.printf("  %-32s %-36s %s%n", key.flagName(), key.envName(), key.fileName());
        }
    }
}
