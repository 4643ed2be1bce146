package org.sluice.api;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;
import org.sluice.api.config.ConfigException;
import org.sluice.api.config.ConfigLoader;
import org.sluice.api.config.ServerConfig;

/**
 * {@code java -jar sluice-server.jar token --room=NAME [--publish] [--subscribe] [--admin] [--ttl=SECONDS]
 * [--name=NAME] [config flags]}: prints one HS256 token signed with the configured {@code auth.secret} (from the
 * same file, environment and flags the server reads), e.g. the first admin token for the admin API.
 */
final class TokenCommand {

    static final String NAME = "token";
    private static final long MAX_TTL_SECONDS = 366L * 24 * 3600;

    private TokenCommand() {
    }

    /** Prints the token and returns 0, or prints one line on {@code err} and returns {@link Main#EXIT_BAD_CONFIG}. */
    static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        String room = null;
        String name = null;
        boolean publish = false;
        boolean subscribe = false;
        boolean admin = false;
        long ttlSeconds = 3600;
        List<String> configArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--room=")) {
                room = arg.substring("--room=".length());
            } else if (arg.startsWith("--name=")) {
                name = arg.substring("--name=".length());
            } else if (arg.equals("--publish")) {
                publish = true;
            } else if (arg.equals("--subscribe")) {
                subscribe = true;
            } else if (arg.equals("--admin")) {
                admin = true;
            } else if (arg.startsWith("--ttl=")) {
                try {
                    ttlSeconds = Long.parseLong(arg.substring("--ttl=".length()));
                } catch (NumberFormatException e) {
                    ttlSeconds = -1;
                }
                if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
                    return fail(err, "--ttl must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS);
                }
            } else {
                configArgs.add(arg);
            }
        }
        if (room == null || room.isEmpty()) {
            return fail(err, "--room=NAME is required (\"*\" for every room)");
        }
        if (!publish && !subscribe && !admin) {
            return fail(err, "say what the token allows: --publish, --subscribe and/or --admin");
        }
        ServerConfig config;
        try {
            config = new ConfigLoader(env, Runtime.getRuntime().availableProcessors())
                    .load(configArgs.toArray(String[]::new));
        } catch (ConfigException e) {
            return fail(err, "configuration error: " + e.getMessage());
        }
        if (config.authSecret().isEmpty()) {
            return fail(err, config.authEnabled()
                    ? "no auth.secret is configured (tokens come from the keys' issuer), so none can be signed here"
                    : "no auth.secret is configured, so the server accepts any token (or none)");
        }
        TokenIssuer issuer = new TokenIssuer(config.auth().secretId().orElse(null), config.authSecret().get(), clock);
        out.println(issuer.mint(new Grant(room, publish, subscribe, admin), Duration.ofSeconds(ttlSeconds), name)
                .token());
        return 0;
    }

    private static int fail(PrintStream err, String message) {
        err.println("sluice token: " + message);
        return Main.EXIT_BAD_CONFIG;
    }
}
