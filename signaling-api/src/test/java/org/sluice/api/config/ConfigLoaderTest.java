package org.sluice.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.cluster.ClusterSettings;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.session.IceServer;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static ServerConfig load(Map<String, String> env, String... args) throws ConfigException {
        return new ConfigLoader(env, 4).load(args);
    }

    @Test
    void embeddedDefaults() throws ConfigException {
        ServerConfig config = load(Map.of());
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.mediaUdpPort()).isEqualTo(10000);
        assertThat(config.mediaTcpPort()).isEqualTo(10000);
        assertThat(config.mediaBindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.advertisedAddresses()).containsExactly("127.0.0.1");
        assertThat(config.authSecret()).isEmpty();
        assertThat(config.authEnabled()).isFalse();
        assertThat(config.iceServers()).isEmpty();
        assertThat(config.dtlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mediaEventLoops()).isEqualTo(4);
        assertThat(config.shutdownDrainTime()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void drainTimeFromFlagAndEnvironment() throws ConfigException {
        assertThat(load(Map.of(), "--shutdown-drain-time=5s").shutdownDrainTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(load(Map.of("SLUICE_SHUTDOWN_DRAIN_TIME", "2m")).shutdownDrainTime())
                .isEqualTo(Duration.ofMinutes(2));
        expectError(Map.of(), new String[] {"--shutdown-drain-time=0s"}, "more than 0");
    }

    @Test
    void srtpStreamLimitFromFlagAndEnvironment() throws ConfigException {
        assertThat(load(Map.of()).srtpMaxStreams()).isEqualTo(1024);
        assertThat(load(Map.of(), "--media-srtp-max-streams=4096").srtpMaxStreams()).isEqualTo(4096);
        assertThat(load(Map.of("SLUICE_MEDIA_SRTP_MAX_STREAMS", "64")).srtpMaxStreams()).isEqualTo(64);
        expectError(Map.of(), new String[] {"--media-srtp-max-streams=8"}, "must be between 16 and 65536");
    }

    @Test
    void broadcastRepairWindowIsOffByDefaultAndAtMost300Milliseconds() throws ConfigException {
        assertThat(load(Map.of()).broadcastRepairWindow()).isZero();
        assertThat(load(Map.of(), "--broadcast-repair-window=150ms").broadcastRepairWindow())
                .isEqualTo(Duration.ofMillis(150));
        assertThat(load(Map.of("SLUICE_BROADCAST_REPAIR_WINDOW", "0ms")).broadcastRepairWindow()).isZero();
        expectError(Map.of(), new String[] {"--broadcast-repair-window=301ms"}, "must be from 0 to 300ms");
        expectError(Map.of(), new String[] {"--broadcast-repair-window=soon"}, "is not a duration");
    }

    @Test
    void dataChannelLimitsDefaultTo5000MessagesAnd16MebibytesPerSecond() throws ConfigException {
        assertThat(load(Map.of()).dataChannelLimits()).isEqualTo(RoomDataRelay.Limits.DEFAULT);
        assertThat(RoomDataRelay.Limits.DEFAULT).isEqualTo(new RoomDataRelay.Limits(5_000, 16L * 1024 * 1024));
    }

    @Test
    void dataChannelLimitsFromFlagEnvironmentAndFile() throws IOException, ConfigException {
        assertThat(load(Map.of(), "--datachannel-messages-per-second=200").dataChannelLimits())
                .isEqualTo(new RoomDataRelay.Limits(200, 16L * 1024 * 1024));
        assertThat(load(Map.of("SLUICE_DATACHANNEL_BYTES_PER_SECOND", "65536")).dataChannelLimits())
                .isEqualTo(new RoomDataRelay.Limits(5_000, 65_536));
        Path json = dir.resolve("sluice.json");
        Files.writeString(json, """
                {"datachannel": {"messages-per-second": 1000000, "bytes-per-second": 1073741824}}
                """);
        assertThat(load(Map.of("SLUICE_CONFIG", json.toString())).dataChannelLimits())
                .isEqualTo(new RoomDataRelay.Limits(1_000_000, 1L << 30));
        Path properties = dir.resolve("sluice.properties");
        Files.writeString(properties, "datachannel.messages-per-second=1\ndatachannel.bytes-per-second=1024\n");
        assertThat(load(Map.of(), "--config", properties.toString()).dataChannelLimits())
                .isEqualTo(new RoomDataRelay.Limits(1, 1024));
        assertThat(load(Map.of("SLUICE_DATACHANNEL_MESSAGES_PER_SECOND", "300"), "--config", properties.toString(),
                "--datachannel-bytes-per-second", "2048").dataChannelLimits())
                .as("environment over file, flag over file").isEqualTo(new RoomDataRelay.Limits(300, 2048));
    }

    @Test
    void dataChannelLimitsAreRefusedOutsideTheirRanges() {
        expectError(Map.of(), new String[] {"--datachannel-messages-per-second=0"},
                "flag --datachannel-messages-per-second must be between 1 and 1000000 (got '0')");
        expectError(Map.of(), new String[] {"--datachannel-messages-per-second=-5"}, "must be between 1 and 1000000");
        expectError(Map.of(), new String[] {"--datachannel-messages-per-second=1000001"},
                "must be between 1 and 1000000");
        expectError(Map.of(), new String[] {"--datachannel-messages-per-second=lots"}, "is not a whole number");
        expectError(Map.of("SLUICE_DATACHANNEL_BYTES_PER_SECOND", "0"), new String[0],
                "environment variable SLUICE_DATACHANNEL_BYTES_PER_SECOND must be between 1024 and 1073741824");
        expectError(Map.of(), new String[] {"--datachannel-bytes-per-second=1023"}, "must be between 1024 and");
        expectError(Map.of(), new String[] {"--datachannel-bytes-per-second=1073741825"},
                "must be between 1024 and 1073741824");
        expectError(Map.of(), new String[] {"--datachannel-bytes-per-second=16MiB"}, "is not a whole number");
        expectError(Map.of(), new String[] {"--datachannel-bytes-per-second=99999999999"},
                "must be between 1024 and 1073741824 (got '99999999999')");
    }

    @Test
    void aClusterIsOffByDefaultAndTakesStaticMembersOrKubernetes() throws ConfigException {
        assertThat(load(Map.of()).cluster()).isEqualTo(ClusterSettings.OFF);
        ClusterSettings cluster = load(Map.of("SLUICE_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701"),
                "--cluster-enabled=true", "--cluster-host=10.0.0.1", "--http-port=9000").cluster();
        assertThat(cluster).isEqualTo(new ClusterSettings(true, "10.0.0.1", 5701,
                List.of("10.0.0.1:5701", "10.0.0.2:5701"), "http://127.0.0.1:9000", null, null));
        ClusterSettings kubernetes = load(Map.of("SLUICE_CLUSTER_ENABLED", "true",
                "SLUICE_CLUSTER_KUBERNETES_SERVICE", "sluice-cluster", "SLUICE_CLUSTER_PORT", "5801",
                "SLUICE_CLUSTER_PUBLIC_URL", "https://node-1.example.org", "SLUICE_AUTH_SECRET",
                "0123456789abcdef0123")).cluster();
        assertThat(kubernetes.kubernetesService()).isEqualTo("sluice-cluster");
        assertThat(kubernetes.port()).isEqualTo(5801);
        assertThat(kubernetes.publicUrl()).isEqualTo("https://node-1.example.org");
        assertThat(cluster.edgeRelays()).as("edges serve WHEP viewers by default").isTrue();
        assertThat(load(Map.of("SLUICE_CLUSTER_EDGE_RELAYS", "false"), "--cluster-enabled=true", "--http-port=9000")
                .cluster().edgeRelays()).isFalse();
        expectError(Map.of(), new String[] {"--cluster-enabled=true", "--cluster-edge-relays=maybe"},
                "cluster-edge-relays");
    }

    @Test
    void clusterSettingsAreChecked() {
        expectError(Map.of(), new String[] {"--cluster-enabled=true", "--cluster-members=10.0.0.1"},
                "has '10.0.0.1'; a member is host:port");
        expectError(Map.of(), new String[] {"--cluster-enabled=true", "--cluster-public-url=node-1:8080"},
                "is not an http:// or https:// URL");
        expectError(Map.of(), new String[] {"--cluster-enabled=true", "--http-host=0.0.0.0"},
                "needs cluster.public-url");
        expectError(Map.of(), new String[] {"--cluster-enabled=yes please"}, "cluster-enabled");
    }

    @Test
    void aSecretOpensTheDefaultHostUnlessSet() throws ConfigException {
        assertThat(load(Map.of("SLUICE_AUTH_SECRET", "0123456789abcdef0123")).httpHost()).isEqualTo("0.0.0.0");
        assertThat(load(Map.of("SLUICE_AUTH_SECRET", "0123456789abcdef0123"), "--http-host=127.0.0.2").httpHost())
                .isEqualTo("127.0.0.2");
    }

    @Test
    void precedenceIsDefaultsFileEnvironmentFlags() throws IOException, ConfigException {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, "http.port=9001\nmedia.udp-port=20000\nmedia.tcp-port=20001\nmedia.event-loops=3\n");
        ServerConfig config = load(Map.of("SLUICE_HTTP_PORT", "9002", "SLUICE_MEDIA_UDP_PORT", "20002"),
                "--config", file.toString(), "--http-port=9003");
        assertThat(config.httpPort()).isEqualTo(9003);
        assertThat(config.mediaUdpPort()).isEqualTo(20002);
        assertThat(config.mediaTcpPort()).isEqualTo(20001);
        assertThat(config.mediaEventLoops()).isEqualTo(3);
        assertThat(config.mediaBindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void readsNestedJsonWithIceServerObjects() throws IOException, ConfigException {
        Path file = dir.resolve("sluice.json");
        Files.writeString(file, """
                {"http": {"host": "::1", "port": 8443},
                 "media": {"advertised-addresses": ["10.0.0.5", "2001:db8::5"], "bind-address": "0.0.0.0"},
                 "ice.servers": ["stun:stun.example.net:3478",
                                 {"url": "turn:turn.example.net?transport=udp", "username": "u", "credential": "p"}],
                 "dtls": {"handshake-timeout": "1500ms"}}
                """);
        ServerConfig config = load(Map.of("SLUICE_CONFIG", file.toString()));
        assertThat(config.httpHost()).isEqualTo("::1");
        assertThat(config.httpPort()).isEqualTo(8443);
        assertThat(config.advertisedAddresses()).containsExactly("10.0.0.5", "2001:db8::5");
        assertThat(config.mediaBindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.iceServers()).containsExactly(
                new IceServer("stun:stun.example.net:3478", null, null),
                new IceServer("turn:turn.example.net?transport=udp", "u", "p"));
        assertThat(config.dtlsHandshakeTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void flagsTakeSeparateValuesAndLists() throws ConfigException {
        ServerConfig config = load(Map.of(), "--ice-servers", "stun:a.example:3478,turns:b.example|user|pw",
                "--dtls-handshake-timeout=PT3S", "--media-advertised-addresses=192.0.2.1, 192.0.2.2");
        assertThat(config.iceServers()).extracting(IceServer::url).containsExactly("stun:a.example:3478", "turns:b.example");
        assertThat(config.dtlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.advertisedAddresses()).containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test
    void theSecretIsNotPrinted() throws ConfigException {
        assertThat(load(Map.of("SLUICE_AUTH_SECRET", "very-secret-value-123")).toString())
                .doesNotContain("very-secret-value-123");
    }

    @Test
    void badValuesGiveOneLineNamingTheSource() {
        expectError(Map.of("SLUICE_HTTP_PORT", "80a"), new String[0],
                "environment variable SLUICE_HTTP_PORT is not a whole number (got '80a')");
        expectError(Map.of(), new String[] {"--http-port=70000"}, "flag --http-port must be between 0 and 65535");
        expectError(Map.of(), new String[] {"--media-udp-port=0"}, "flag --media-udp-port must be between 1 and 65535");
        expectError(Map.of(), new String[] {"--media-event-loops=0"}, "must be between 1 and 256");
        expectError(Map.of(), new String[] {"--http-host=300.1.1.1"}, "not an IPv4 address");
        expectError(Map.of(), new String[] {"--media-bind-address=no such host"}, "not an address or host name");
        expectError(Map.of(), new String[] {"--media-advertised-addresses=1.2.3.4,"}, "has an empty address");
        expectError(Map.of(), new String[] {"--dtls-handshake-timeout=ten"}, "is not a duration");
        expectError(Map.of(), new String[] {"--dtls-handshake-timeout=0s"}, "more than 0");
        expectError(Map.of(), new String[] {"--ice-servers=http://x"}, "not a stun:, stuns:, turn: or turns: URL");
        expectError(Map.of(), new String[] {"--ice-servers=turn:example.org|onlyuser"}, "url|username|credential");
        expectError(Map.of(), new String[] {"--auth-secret=short"}, "at least 16 characters");
        expectError(Map.of(), new String[] {"--no-such-flag=1"}, "unknown flag --no-such-flag");
        expectError(Map.of(), new String[] {"--http-port"}, "flag --http-port needs a value");
        expectError(Map.of(), new String[] {"stray"}, "unexpected argument 'stray'");
        expectError(Map.of(), new String[] {"--config", dir.resolve("missing.json").toString()}, "does not exist");
    }

    @Test
    void badFilesGiveOneLine() throws IOException {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"http\": {\"port\": ");
        expectError(Map.of(), new String[] {"--config=" + json}, "is not valid JSON");
        Path unknown = dir.resolve("unknown.properties");
        Files.writeString(unknown, "http.prot=8080\n");
        expectError(Map.of(), new String[] {"--config=" + unknown}, "unknown key 'http.prot'");
        Path badValue = dir.resolve("value.json");
        Files.writeString(badValue, "{\"http\": {\"port\": true}}");
        expectError(Map.of(), new String[] {"--config=" + badValue}, "key http.port in " + badValue + " is not a whole number");
        Path nullValue = dir.resolve("null.json");
        Files.writeString(nullValue, "{\"media\": {\"udp-port\": null}}");
        expectError(Map.of(), new String[] {"--config=" + nullValue}, "key 'media.udp-port' is null");
    }

    private static void expectError(Map<String, String> env, String[] args, String fragment) {
        assertThatThrownBy(() -> load(env, args))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    @Test
    void randomValuesOnlyEverGiveAConfigOrAConfigException() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        String alphabet = "0123456789abcdefz.:,|-_ /\"'{}[]msPTS\n\u00e9";
        ConfigKey[] keys = ConfigKey.values();
        for (int i = 0; i < 30_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(24);
            for (int c = 0; c < length; c++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            ConfigKey key = keys[random.nextInt(keys.length)];
            try {
                ServerConfig config = load(Map.of(key.envName(), value.toString()));
                assertThat(config.httpPort()).isBetween(0, 65535);
                assertThat(config.mediaEventLoops()).isBetween(1, 256);
            } catch (ConfigException e) {
                assertThat(e.getMessage()).contains(key.envName()).doesNotContain("\n");
            }
        }
    }

    @Test
    void randomFilesAndArgumentsOnlyEverGiveAConfigOrAConfigException() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4242);
        String[] pieces = {"{", "}", "[", "]", "\"http\"", "\"port\"", ":", ",", "8080", "null", "true", "\"x\"",
                "\"media\"", "\"ice.servers\"", "=", "\n", "http.port", "#", "\\u12", "--http-port", "--config"};
        Path file = dir.resolve("fuzz.cfg");
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            int count = random.nextInt(16);
            for (int p = 0; p < count; p++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            Files.writeString(file, text);
            String[] args = random.nextBoolean()
                    ? new String[] {"--config", file.toString()}
                    : text.toString().split("\\s+|(?==)");
            try {
                load(Map.of(), args);
            } catch (ConfigException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    @Test
    void tokenKeysAndRulesFromFlagsAndEnvironment() throws ConfigException {
        ServerConfig config = load(Map.of("SLUICE_AUTH_JWKS", "https://idp.example/jwks.json, /etc/sluice/jwks.json"),
                "--auth-public-keys=rsa-1=/keys/rsa.pem,/keys/ec.pem",
                "--auth-hs256-secrets=old=0123456789abcdef-old",
                "--auth-secret=0123456789abcdef-new", "--auth-secret-id=new",
                "--auth-jwks-refresh=30s", "--auth-issuer=https://idp.example", "--auth-audience=sluice",
                "--metrics-require-token=true");
        AuthSettings auth = config.auth();
        assertThat(auth.jwksSources()).containsExactly("https://idp.example/jwks.json", "/etc/sluice/jwks.json");
        assertThat(auth.publicKeyFiles()).containsEntry("rsa-1", Path.of("/keys/rsa.pem"))
                .containsEntry("", Path.of("/keys/ec.pem"));
        assertThat(auth.hs256Secrets()).containsEntry("old", "0123456789abcdef-old");
        assertThat(auth.secretId()).contains("new");
        assertThat(auth.jwksRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.issuer()).contains("https://idp.example");
        assertThat(auth.audience()).contains("sluice");
        assertThat(auth.metricsRequireToken()).isTrue();
        assertThat(config.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void keysWithoutASecretStillTurnAuthenticationOn() throws ConfigException {
        ServerConfig config = load(Map.of("SLUICE_AUTH_JWKS", "/etc/sluice/jwks.json"));
        assertThat(config.authEnabled()).isTrue();
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(load(Map.of()).authEnabled()).isFalse();
    }

    @Test
    void badTokenKeySettingsGiveOneLine() {
        expectError(Map.of(), new String[] {"--auth-hs256-secrets=short"}, "without a name");
        expectError(Map.of(), new String[] {"--auth-hs256-secrets=k=short"}, "at least 16 characters");
        expectError(Map.of(), new String[] {"--auth-jwks=ftp://idp/jwks"}, "http:// or https://");
        expectError(Map.of(), new String[] {"--metrics-require-token=true"}, "needs auth.secret");
        expectError(Map.of(), new String[] {"--metrics-require-token=perhaps", "--auth-secret=0123456789abcdef"},
                "is not true or false");
        expectError(Map.of(), new String[] {"--auth-public-keys=a b=/k.pem"}, "names are 1-64");
    }

    @Test
    void logLevelsAndFormat() throws ConfigException {
        ServerConfig config = load(Map.of("SLUICE_LOG_FORMAT", "json"), "--log-level=debug",
                "--log-levels=org.sluice.core=trace,io.netty=warn");
        assertThat(config.logging().level()).isEqualTo("DEBUG");
        assertThat(config.logging().format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(config.logging().loggerLevels()).containsEntry("org.sluice.core", "TRACE")
                .containsEntry("io.netty", "WARN");
        assertThat(load(Map.of()).logging()).isEqualTo(LogSettings.DEFAULTS);
        expectError(Map.of(), new String[] {"--log-level=loud"}, "must be one of");
        expectError(Map.of(), new String[] {"--log-format=xml"}, "must be one of text, json");
        expectError(Map.of(), new String[] {"--log-levels=io.netty=chatty"}, "levels are");
    }

    @Test
    void everyKeyHasDistinctNames() {
        assertThat(List.of(ConfigKey.values())).extracting(ConfigKey::envName).doesNotHaveDuplicates();
        assertThat(ConfigKey.HTTP_PORT.envName()).isEqualTo("SLUICE_HTTP_PORT");
        assertThat(ConfigKey.MEDIA_UDP_PORT.flagName()).isEqualTo("--media-udp-port");
    }
}
