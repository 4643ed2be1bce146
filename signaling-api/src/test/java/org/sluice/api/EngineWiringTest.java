package org.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.config.ConfigLoader;
import org.sluice.api.config.ServerConfig;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.engine.EngineConfig;

/** The server configuration reaches the engine's. */
class EngineWiringTest {

    @Test
    void dataChannelLimitsReachTheEngine() throws Exception {
        ServerConfig configured = new ConfigLoader(Map.of("SLUICE_DATACHANNEL_BYTES_PER_SECOND", "4096"), 2)
                .load(new String[] {"--datachannel-messages-per-second=20"});
        EngineConfig engine = EngineWiring.engineConfig(configured);
        assertThat(engine.dataChannelLimits()).isEqualTo(new RoomDataRelay.Limits(20, 4096));
        assertThat(EngineWiring.engineConfig(new ConfigLoader(Map.of(), 2).load(new String[0])).dataChannelLimits())
                .isEqualTo(RoomDataRelay.Limits.DEFAULT);
    }

    @Test
    void dtlsThreadsFollowTheProcessorsUnlessConfigured() throws Exception {
        assertThat(EngineWiring.engineConfig(new ConfigLoader(Map.of(), 8).load(new String[0])).dtlsThreads())
                .isEqualTo(8);
        assertThat(EngineWiring.engineConfig(new ConfigLoader(Map.of(), 1).load(new String[0])).dtlsThreads())
                .as("at least two").isEqualTo(2);
        assertThat(EngineWiring.engineConfig(new ConfigLoader(Map.of("SLUICE_DTLS_THREADS", "12"), 2)
                .load(new String[0])).dtlsThreads()).isEqualTo(12);
    }
}
