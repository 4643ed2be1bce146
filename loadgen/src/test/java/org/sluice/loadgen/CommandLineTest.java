package org.sluice.loadgen;

import org.junit.jupiter.api.Test;
import org.sluice.loadgen.scenario.BroadcastSettings;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void optionsParseWithSuffixesAndBothSpellings() {
        CommandLine line = CommandLine.parse("--viewers=500", "--video-bitrate", "1M", "--audio-bitrate=0",
                "--duration", "90s", "--warmup=500ms", "--server-arg=--media-event-loops=1", "--server-arg", "--x=y");
        BroadcastSettings settings = LoadGeneratorMain.settings(line);
        assertThat(settings.viewersPerRoom()).isEqualTo(500);
        assertThat(settings.media().videoBitsPerSecond()).isEqualTo(1_000_000);
        assertThat(settings.media().audioBitsPerSecond()).isZero();
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.media().keyFrameIntervalFrames()).isEqualTo(60);
        assertThat(line.all("server-arg")).containsExactly("--media-event-loops=1", "--x=y");
    }

    @Test
    void mistakesAreOneLineErrorsWithExitCode2() {
        assertThatThrownBy(() -> CommandLine.parse("--vewers=5")).hasMessageContaining("unknown option --vewers");
        assertThatThrownBy(() -> CommandLine.parse("--viewers")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--rooms=1", "--rooms=2")).hasMessageContaining("twice");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadGeneratorMain.run(new String[] {"--duration=soon"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--duration");
    }

    @Test
    void anOnOffOptionTakesOnlyOnOrOff() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadGeneratorMain.run(new String[] {"--udp-gro=maybe"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--udp-gro: 'on' or 'off', not 'maybe'");
    }

    @Test
    void helpListsEveryOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = LoadGeneratorMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(code).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (CommandLine.Option option : CommandLine.OPTIONS) {
            assertThat(help).contains("--" + option.name());
        }
    }
}
