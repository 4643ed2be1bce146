package org.sluice.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.config.ConfigLoader;
import org.sluice.api.config.LogSettings;

/** Log levels and the JSON format from the configuration, through the real Logback. */
class LogbackSetupTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restoreDefaults() {
        LogbackSetup.apply(LogSettings.DEFAULTS);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonLinesAtTheConfiguredLevels() throws Exception {
        LogSettings settings = new ConfigLoader(Map.of(), 1)
                .load(new String[] {"--log-format=json", "--log-level=warn", "--log-levels=org.sluice.test.chatty=debug"})
                .logging();
        assertThat(LogbackSetup.apply(settings, out)).isTrue();
        Logger quiet = LoggerFactory.getLogger("org.sluice.test.quiet");
        Logger chatty = LoggerFactory.getLogger("org.sluice.test.chatty");
        quiet.info("not shown");
        quiet.warn("room {} is full", "lobby");
        chatty.debug("shown because of log.levels");
        chatty.trace("below debug");

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        JsonObject first = new JsonObject(lines.get(0));
        assertThat(first.getString("level")).isEqualTo("WARN");
        assertThat(first.getString("loggerName")).isEqualTo("org.sluice.test.quiet");
        assertThat(first.getString("formattedMessage")).isEqualTo("room lobby is full");
        assertThat(first.getLong("timestamp")).isPositive();
        assertThat(new JsonObject(lines.get(1)).getString("level")).isEqualTo("DEBUG");
    }

    @Test
    void textLinesByDefault() {
        assertThat(LogbackSetup.apply(LogSettings.DEFAULTS, out)).isTrue();
        Logger log = LoggerFactory.getLogger("org.sluice.test.text");
        log.debug("hidden at INFO");
        log.info("listening on {}", 8080);
        assertThat(lines()).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO  \\[.+\\] org\\.sluice\\.test\\.text - listening on 8080");
    }
}
