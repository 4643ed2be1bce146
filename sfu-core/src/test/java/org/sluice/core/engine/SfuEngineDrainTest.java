package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.SimulatedViewer;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;

/** A draining engine refuses new sessions and keeps the live ones. */
class SfuEngineDrainTest {

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(), new AdjustableNanoClock());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void drainingRefusesNewOffersAsUnavailableAndKeepsLiveSessions() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
            assertThat(engine.isDraining()).isFalse();
            engine.drain();
            assertThat(engine.isDraining()).isTrue();
            assertThatThrownBy(() -> engine.publish("room", "v=0"))
                    .isInstanceOfSatisfying(OfferRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(OfferRejectedException.Reason.UNAVAILABLE));
            assertThatThrownBy(() -> engine.subscribe("room", "v=0"))
                    .isInstanceOfSatisfying(OfferRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(OfferRejectedException.Reason.UNAVAILABLE));
            assertThat(engine.sessionCount()).isEqualTo(1);
            assertThat(engine.session(viewer.sessionId()).isClosed()).isFalse();
        }
    }
}
