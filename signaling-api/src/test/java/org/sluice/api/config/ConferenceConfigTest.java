package org.sluice.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.core.conference.ConferenceSettings;

/** The {@code conference.*} keys. */
class ConferenceConfigTest {

    @Test
    void defaultsAreTheProtocolDefaults() throws Exception {
        ConferenceSettings settings = new ConfigLoader(Map.of(), 2).load(new String[0]).conferenceSettings();
        assertThat(settings).isEqualTo(new ConferenceSettings(100, 8, Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofMillis(300)));
    }

    @Test
    void environmentAndFlagsSetThem() throws Exception {
        ConferenceSettings settings = new ConfigLoader(Map.of("SLUICE_CONFERENCE_MAX_PARTICIPANTS", "12",
                "SLUICE_CONFERENCE_RECONNECT_GRACE", "5s"), 2)
                .load(new String[] {"--conference-max-tracks-per-participant=3",
                        "--conference-empty-room-timeout", "2m"})
                .conferenceSettings();
        assertThat(settings.maxParticipants()).isEqualTo(12);
        assertThat(settings.maxTracksPerParticipant()).isEqualTo(3);
        assertThat(settings.reconnectGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.emptyRoomTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.speakerInterval()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("SLUICE_CONFERENCE_MAX_PARTICIPANTS", "0"), 2)
                .load(new String[0])).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLUICE_CONFERENCE_MAX_PARTICIPANTS");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), 2).load(new String[] {"--conference-reconnect-grace=x"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--conference-reconnect-grace");
    }
}
