package org.sluice.api.config;

import org.sluice.api.cluster.ClusterSettings;
import org.sluice.core.broadcast.BroadcastRoom;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.engine.EngineConfig;
import org.sluice.rtp.srtp.SrtpSessionConfig;

/**
 * Builds a {@link ServerConfig} from, in increasing precedence: embedded defaults, a config file
 * ({@code --config path} or {@code SLUICE_CONFIG}; JSON when it starts with '{', Java properties
 * otherwise), {@code SLUICE_*} environment variables, and command-line flags. Any bad input ends
 * in a {@link ConfigException} with one line that names the key and where it came from.
 */
public final class ConfigLoader {

    /** Flag and environment variable naming the config file. */
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_ENV = "SLUICE_CONFIG";

    /** A static cluster member: {@code host:port}. */
    private static final Pattern MEMBER = Pattern.compile("[^\\s:,]+:\\d{1,5}");

    private final Map<String, String> environment;
    private final int availableProcessors;

    /**
     * @param environment         the process environment (tests pass their own map)
     * @param availableProcessors default for the media event-loop count
     */
    public ConfigLoader(Map<String, String> environment, int availableProcessors) {
        this.environment = Map.copyOf(environment);
        this.availableProcessors = availableProcessors;
    }

    /** Loads the configuration for these command-line arguments. */
    public ServerConfig load(String[] args) throws ConfigException {
        Map<ConfigKey, SourcedValue> values = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, SourcedValue> flags = new EnumMap<>(ConfigKey.class);
        String configFile = parseFlags(args, flags);
        if (configFile == null) {
            configFile = environment.get(CONFIG_ENV);
        }
        if (configFile != null) {
            values.putAll(readFile(Path.of(configFile)));
        }
        for (ConfigKey key : ConfigKey.values()) {
            String value = environment.get(key.envName());
            if (value != null) {
                values.put(key, new SourcedValue(value, "environment variable " + key.envName()));
            }
        }
        values.putAll(flags);
        return build(values);
    }

    private static String parseFlags(String[] args, Map<ConfigKey, SourcedValue> flags) throws ConfigException {
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (flags look like --http-port=8080)");
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new ConfigException("flag " + flag + " needs a value");
            }
            if (flag.equals(CONFIG_FLAG)) {
                configFile = value;
                continue;
            }
            ConfigKey key = ConfigKey.byFlag(flag);
            if (key == null) {
                throw new ConfigException("unknown flag " + flag + " (see --help)");
            }
            flags.put(key, new SourcedValue(value, "flag " + flag));
        }
        return configFile;
    }

    private static Map<ConfigKey, SourcedValue> readFile(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        Map<String, String> raw = text.stripLeading().startsWith("{")
                ? JsonConfigFile.flatten(text, file)
                : readProperties(text, file);
        Map<ConfigKey, SourcedValue> values = new EnumMap<>(ConfigKey.class);
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            ConfigKey key = ConfigKey.byFileName(entry.getKey());
            if (key == null) {
                throw new ConfigException("config file " + file + ": unknown key '" + entry.getKey() + "'");
            }
            values.put(key, new SourcedValue(entry.getValue(), "key " + key.fileName() + " in " + file));
        }
        return values;
    }

    private static Map<String, String> readProperties(String text, Path file) throws ConfigException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " is not a valid properties file");
        }
        Map<String, String> raw = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            raw.put(name, properties.getProperty(name).strip());
        }
        return raw;
    }

    private ServerConfig build(Map<ConfigKey, SourcedValue> values) throws ConfigException {
        ValueParser p = new ValueParser(values);
        Optional<String> secret = p.optionalString(ConfigKey.AUTH_SECRET);
        if (secret.isPresent() && secret.get().length() < 16) {
            throw new ConfigException(values.get(ConfigKey.AUTH_SECRET).origin()
                    + ": the auth secret must be at least 16 characters");
        }
        AuthSettings auth = authSettings(p, values);
        String defaultHost = secret.isPresent() || auth.hasKeys() ? "0.0.0.0" : "127.0.0.1";
        String httpHost = p.host(ConfigKey.HTTP_HOST, defaultHost);
        int httpPort = p.port(ConfigKey.HTTP_PORT, 8080, true);
        return new ServerConfig(
                httpHost,
                httpPort,
                p.port(ConfigKey.MEDIA_UDP_PORT, 10000, false),
                p.port(ConfigKey.MEDIA_TCP_PORT, 10000, true),
                p.host(ConfigKey.MEDIA_BIND_ADDRESS, "127.0.0.1"),
                p.hostList(ConfigKey.MEDIA_ADVERTISED_ADDRESSES, List.of("127.0.0.1")),
                secret,
                p.iceServers(ConfigKey.ICE_SERVERS),
                p.duration(ConfigKey.DTLS_HANDSHAKE_TIMEOUT, Duration.ofSeconds(10)),
                p.intInRange(ConfigKey.MEDIA_EVENT_LOOPS, Math.max(1, availableProcessors), 1, 256),
                p.duration(ConfigKey.SHUTDOWN_DRAIN_TIME, ServerConfig.DEFAULT_DRAIN_TIME),
                conferenceSettings(p),
                auth,
                logSettings(p),
                p.intInRange(ConfigKey.MEDIA_SRTP_MAX_STREAMS, SrtpSessionConfig.DEFAULT_MAX_STREAMS, 16, 65_536),
                p.durationUpTo(ConfigKey.BROADCAST_REPAIR_WINDOW, Duration.ZERO, BroadcastRoom.MAX_REPAIR_WINDOW),
                dataChannelLimits(p),
                clusterSettings(p, values, httpHost, httpPort),
                p.intInRange(ConfigKey.DTLS_THREADS, Math.max(2, availableProcessors), 1, 256));
    }

    private static ClusterSettings clusterSettings(ValueParser p, Map<ConfigKey, SourcedValue> values,
                                                   String httpHost, int httpPort) throws ConfigException {
        if (!p.bool(ConfigKey.CLUSTER_ENABLED, false)) {
            return ClusterSettings.OFF;
        }
        String host = p.host(ConfigKey.CLUSTER_HOST, "127.0.0.1");
        int port = p.port(ConfigKey.CLUSTER_PORT, ClusterSettings.DEFAULT_PORT, false);
        List<String> members = p.stringList(ConfigKey.CLUSTER_MEMBERS);
        for (String member : members) {
            if (!MEMBER.matcher(member).matches()) {
                throw ValueParser.invalidValue(values.get(ConfigKey.CLUSTER_MEMBERS),
                        "has '" + member + "'; a member is host:port");
            }
        }
        Optional<String> url = p.optionalString(ConfigKey.CLUSTER_PUBLIC_URL);
        String publicUrl;
        if (url.isPresent()) {
            if (!url.get().startsWith("http://") && !url.get().startsWith("https://")) {
                throw ValueParser.invalidValue(values.get(ConfigKey.CLUSTER_PUBLIC_URL),
                        "is not an http:// or https:// URL");
            }
            publicUrl = url.get();
        } else if (httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpPort == 0) {
            throw new ConfigException("cluster.enabled: a cluster node binding " + httpHost + ":" + httpPort
                    + " needs cluster.public-url, the address clients of its rooms are sent to");
        } else {
            publicUrl = "http://" + (httpHost.contains(":") ? "[" + httpHost + "]" : httpHost) + ":" + httpPort;
        }
        return new ClusterSettings(true, host, port, members, publicUrl,
                p.optionalString(ConfigKey.CLUSTER_KUBERNETES_SERVICE).orElse(null),
                p.optionalString(ConfigKey.CLUSTER_KUBERNETES_NAMESPACE).orElse(null),
                p.bool(ConfigKey.CLUSTER_EDGE_RELAYS, true));
    }

    private static AuthSettings authSettings(ValueParser p, Map<ConfigKey, SourcedValue> values)
            throws ConfigException {
        Map<String, String> secrets = p.namedValues(ConfigKey.AUTH_HS256_SECRETS, false);
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            if (s.getValue().length() < 16) {
                throw new ConfigException(values.get(ConfigKey.AUTH_HS256_SECRETS).origin() + ": the secret named '"
                        + s.getKey() + "' must be at least 16 characters");
            }
        }
        Map<String, java.nio.file.Path> keyFiles = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.namedValues(ConfigKey.AUTH_PUBLIC_KEYS, true).entrySet()) {
            keyFiles.put(e.getKey(), Path.of(e.getValue()));
        }
        List<String> jwks = p.stringList(ConfigKey.AUTH_JWKS);
        for (String source : jwks) {
            if (source.contains("://") && !source.startsWith("http://") && !source.startsWith("https://")) {
                throw ValueParser.invalidValue(values.get(ConfigKey.AUTH_JWKS),
                        "has '" + source + "'; a JWKS is a file path or an http:// or https:// URL");
            }
        }
        Optional<String> secretId = p.optionalString(ConfigKey.AUTH_SECRET_ID);
        if (secretId.isPresent() && secrets.containsKey(secretId.get())) {
            throw new ConfigException(values.get(ConfigKey.AUTH_SECRET_ID).origin() + ": '" + secretId.get()
                    + "' also names a secret in auth.hs256-secrets");
        }
        boolean metricsToken = p.bool(ConfigKey.METRICS_REQUIRE_TOKEN, false);
        if (metricsToken && secrets.isEmpty() && keyFiles.isEmpty() && jwks.isEmpty()
                && p.optionalString(ConfigKey.AUTH_SECRET).isEmpty()) {
            throw new ConfigException(values.get(ConfigKey.METRICS_REQUIRE_TOKEN).origin()
                    + ": a token for /metrics needs auth.secret or other token keys");
        }
        return new AuthSettings(secretId, secrets, keyFiles, jwks,
                p.duration(ConfigKey.AUTH_JWKS_REFRESH, AuthSettings.DEFAULT_JWKS_REFRESH),
                p.optionalString(ConfigKey.AUTH_ISSUER), p.optionalString(ConfigKey.AUTH_AUDIENCE),
                metricsToken);
    }

    private static LogSettings logSettings(ValueParser p) throws ConfigException {
        String level = p.oneOf(ConfigKey.LOG_LEVEL, LogSettings.DEFAULTS.level(), LogSettings.LEVELS);
        Map<String, String> loggerLevels = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.namedValues(ConfigKey.LOG_LEVELS, false).entrySet()) {
            String upper = e.getValue().toUpperCase(java.util.Locale.ROOT);
            if (!LogSettings.LEVELS.contains(upper)) {
                throw ValueParser.invalidValue(p.raw(ConfigKey.LOG_LEVELS), "gives '" + e.getKey()
                        + "' the level '" + e.getValue() + "'; levels are trace, debug, info, warn, error, off");
            }
            loggerLevels.put(e.getKey(), upper);
        }
        LogSettings.Format format = LogSettings.Format.byName(
                p.oneOf(ConfigKey.LOG_FORMAT, LogSettings.DEFAULTS.format().name(), List.of("TEXT", "JSON")));
        return new LogSettings(level, loggerLevels, format);
    }

    private static RoomDataRelay.Limits dataChannelLimits(ValueParser p) throws ConfigException {
        RoomDataRelay.Limits defaults = RoomDataRelay.Limits.DEFAULT;
        return new RoomDataRelay.Limits(
                p.intInRange(ConfigKey.DATACHANNEL_MESSAGES_PER_SECOND, defaults.messagesPerSecond(), 1,
                        EngineConfig.MAX_DATA_CHANNEL_MESSAGES_PER_SECOND),
                p.intInRange(ConfigKey.DATACHANNEL_BYTES_PER_SECOND, Math.toIntExact(defaults.bytesPerSecond()),
                        EngineConfig.MIN_DATA_CHANNEL_BYTES_PER_SECOND,
                        EngineConfig.MAX_DATA_CHANNEL_BYTES_PER_SECOND));
    }

    private static ConferenceSettings conferenceSettings(ValueParser p) throws ConfigException {
        ConferenceSettings defaults = ConferenceSettings.DEFAULTS;
        return new ConferenceSettings(
                p.intInRange(ConfigKey.CONFERENCE_MAX_PARTICIPANTS, defaults.maxParticipants(), 1, 10_000),
                p.intInRange(ConfigKey.CONFERENCE_MAX_TRACKS_PER_PARTICIPANT, defaults.maxTracksPerParticipant(),
                        1, 64),
                p.duration(ConfigKey.CONFERENCE_RECONNECT_GRACE, defaults.reconnectGrace()),
                p.duration(ConfigKey.CONFERENCE_EMPTY_ROOM_TIMEOUT, defaults.emptyRoomTimeout()),
                defaults.speakerInterval());
    }

    /** A raw value and a description of where it came from, for error messages. */
    record SourcedValue(String value, String origin) {
    }
}
