package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.PeerOffer;
import org.sluice.core.testing.SimulatedPeer;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.Waits.await;

/** Sessions end cleanly: nothing stays open once everyone has left (buffer leaks fail the class). */
class SfuEngineLifecycleTest {

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), new AdjustableNanoClock());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void afterEveryoneLeavesNoTransportOrSessionRemains() throws Exception {
        SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT);
        SimulatedViewer first = SimulatedViewer.start(engine, "room", "first", CONNECT);
        SimulatedViewer second = SimulatedViewer.start(engine, "room", "second", CONNECT);
        try {
            awaitReceivers(engine, publisher.sessionId(), 2);
            publisher.sendKeyFrame((byte) 1);
            for (int i = 2; i <= 20; i++) {
                publisher.sendDeltaFrame((byte) i);
                publisher.sendAudio((byte) i);
            }
            assertThat(first.peer().awaitRtp(p -> true, 39, RECEIVE)).hasSize(39);
            assertThat(engine.sessionCount()).isEqualTo(3);
            assertThat(engine.openTransports()).isEqualTo(3);

            // The second viewer's peer just goes away with a DTLS close_notify, no DELETE.
            second.peer().close();
            await("close_notify ends the session", CONNECT, () -> engine.sessionCount() == 2);
            assertThat(engine.session(second.sessionId())).isNull();

            publisher.end();
            first.end();
            assertThat(engine.end(first.sessionId())).as("a second DELETE").isFalse();
            await("everything closed", CONNECT, () -> engine.openTransports() == 0 && engine.sessionCount() == 0);
            assertThat(engine.transportCounters().transportsOpened.sum())
                    .isEqualTo(engine.transportCounters().transportsClosed.sum());
        } finally {
            publisher.close();
            first.close();
            second.close();
        }
    }

    @Test
    void aSessionWhosePeerNeverChecksIsStillEndedByDelete() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
            String id = engine.subscribe("room", PeerOffer.viewer(viewer.peer()).sdp())
                    .sessionId();
            assertThat(engine.sessionCount()).isEqualTo(2);
            assertThat(engine.end(id)).isTrue();
            await("unconnected session ended", Duration.ofSeconds(2),
                    () -> engine.sessionCount() == 1 && engine.openTransports() == 1);
        }
    }

    @Test
    void closingTheEngineEndsEverySession() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT);
             SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            publisher.sendKeyFrame((byte) 1);
            publisher.sendAudio((byte) 1);
            assertThat(viewer.peer().awaitRtp(p -> true, 2, RECEIVE)).hasSize(2);
            engine.close();
            assertThat(engine.sessionCount()).isZero();
            assertThat(engine.openTransports()).isZero();
        }
    }

    @Test
    void aClosedEngineRefusesNewSessionsAsUnavailable() throws Exception {
        engine.close();
        try (SimulatedPeer peer = SimulatedPeer.open("late")) {
            assertThatThrownBy(() -> engine.publish("room", PeerOffer.publisher(peer).sdp()))
                    .isInstanceOfSatisfying(OfferRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(OfferRejectedException.Reason.UNAVAILABLE));
            assertThatThrownBy(() -> engine.subscribe("room", PeerOffer.viewer(peer).sdp()))
                    .isInstanceOfSatisfying(OfferRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(OfferRejectedException.Reason.UNAVAILABLE));
            assertThat(engine.sessionCount()).isZero();
            assertThat(engine.openTransports()).isZero();
        }
    }
}
