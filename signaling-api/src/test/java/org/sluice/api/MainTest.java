package org.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: exit codes and one-line errors. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        EngineFactory engines = config -> {
            throw new EngineUnavailableException("test engine refused");
        };
        return Main.run(args, env, engines, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badFlagExitsWith2AndOneLine() {
        assertThat(run(Map.of(), "--http-port=eighty")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("sluice: configuration error: flag --http-port is not a whole number (got 'eighty')"
                + System.lineSeparator());
    }

    @Test
    void badEnvironmentExitsWith2() {
        assertThat(run(Map.of("SLUICE_MEDIA_EVENT_LOOPS", "-1"))).isEqualTo(2);
        assertThat(stderr().lines().count()).isEqualTo(1);
        assertThat(stderr()).contains("SLUICE_MEDIA_EVENT_LOOPS").doesNotContain("Exception");
    }

    @Test
    void anUnusableKeyFileExitsWith2AndOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("idp.pem"), "not a key");
        assertThat(run(Map.of(), "--auth-public-keys=idp=" + pem, "--http-port=0")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("sluice: configuration error: key file " + pem
                + " has no PEM 'PUBLIC KEY' block" + System.lineSeparator());
        err.reset();
        assertThat(run(Map.of("SLUICE_AUTH_JWKS", dir.resolve("absent.json").toString()))).isEqualTo(2);
        assertThat(stderr()).contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void missingEngineExitsWith1() {
        assertThat(run(Map.of(), "--http-port=0")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("sluice: cannot start the media engine: test engine refused" + System.lineSeparator());
    }

    @Test
    void theProductionWiringStartsTheRealEngineOnLoopback() throws Exception {
        org.sluice.api.config.ServerConfig config = new org.sluice.api.config.ServerConfig("127.0.0.1", 0, 0, 0,
                "127.0.0.1", java.util.List.of("127.0.0.1"), java.util.Optional.empty(), java.util.List.of(),
                java.time.Duration.ofSeconds(5), 1);
        Engine engine = EngineWiring.production().start(config);
        try {
            assertThat(engine.sessions()).isInstanceOf(org.sluice.core.engine.SfuEngine.class);
            assertThat(((org.sluice.core.engine.SfuEngine) engine.sessions()).udpPort()).isPositive();
        } finally {
            engine.shutdown().close();
        }
    }

    @Test
    void theProductionWiringRefusesAMediaPortInUse() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            org.sluice.api.config.ServerConfig config = new org.sluice.api.config.ServerConfig("127.0.0.1", 0,
                    taken.getLocalPort(), 0, "127.0.0.1", java.util.List.of("127.0.0.1"), java.util.Optional.empty(),
                    java.util.List.of(), java.time.Duration.ofSeconds(5), 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineWiring.production().start(config))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("cannot open the media sockets");
        }
    }

    @Test
    void helpListsEveryFlag() {
        assertThat(run(Map.of(), "--help")).isEqualTo(0);
        String help = out.toString(StandardCharsets.UTF_8);
        for (org.sluice.api.config.ConfigKey key : org.sluice.api.config.ConfigKey.values()) {
            assertThat(help).contains(key.flagName()).contains(key.envName());
        }
    }
}
