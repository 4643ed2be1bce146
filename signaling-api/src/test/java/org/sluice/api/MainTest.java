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
    void missingEngineExitsWith1() {
        assertThat(run(Map.of(), "--http-port=0")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("sluice: cannot start the media engine: test engine refused" + System.lineSeparator());
    }

    @Test
    void theProductionWiringSaysWhatIsMissing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineWiring.production().start(null))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("EngineWiring");
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
