package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.TrickleResult;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.PeerAnswer;
import org.sluice.core.testing.PeerOffer;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.SimulatedPeer;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.assertContinuous;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.Waits.await;

/** ICE over the engine: restarts through trickle PATCHes, and consent expiry (RFC 7675). */
class SfuEngineIceTest {

    private final AdjustableNanoClock clock = new AdjustableNanoClock();
    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), clock);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void iceRestartGivesNewCredentialsAndEtagAndMediaKeepsFlowing() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            List<ReceivedRtp> video = new ArrayList<>();
            publisher.sendKeyFrame((byte) 1);
            for (int i = 2; i <= 5; i++) {
                publisher.sendDeltaFrame((byte) i);
            }
            video.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 5, RECEIVE));
            assertThat(video).hasSize(5);

            // Candidates without new credentials are no restart: same ETag, nothing to answer.
            String sameEtag = engine.etag(viewer.sessionId());
            TrickleResult plain = engine.trickle(viewer.sessionId(),
                    "a=ice-ufrag:" + viewer.peer().ufrag() + "\r\na=ice-pwd:" + viewer.peer().password()
                            + "\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                            + "a=candidate:2 1 udp 2122260222 127.0.0.1 9 typ host\r\n");
            assertThat(plain.isIceRestart()).isFalse();
            assertThat(plain.etag()).isEqualTo(sameEtag);

            for (SimulatedPeer peer : List.of(viewer.peer(), publisher.peer())) {
                String sessionId = peer == viewer.peer() ? viewer.sessionId() : publisher.sessionId();
                String oldEtag = engine.etag(sessionId);
                String oldServerUfrag = peer.serverUfrag();
                String oldServerPwd = peer.answer().icePwd();
                TrickleResult restart = engine.trickle(sessionId, peer.iceRestartFragment());
                assertThat(restart.isIceRestart()).isTrue();
                assertThat(restart.etag()).isNotEqualTo(oldEtag).isEqualTo(engine.etag(sessionId));
                peer.acceptIceRestart(restart.answerFragment());
                assertThat(peer.serverUfrag()).isNotEqualTo(oldServerUfrag);
                assertThat(peer.check(CONNECT)).as("check with the new credentials").isTrue();
                // Once the new generation has been used, the previous one is gone (RFC 8445 §9).
                String newFragment = "a=ice-ufrag:" + peer.serverUfrag() + "\r\na=ice-pwd:" + peerServerPwd(restart)
                        + "\r\n";
                peer.acceptIceRestart("a=ice-ufrag:" + oldServerUfrag + "\r\na=ice-pwd:" + oldServerPwd + "\r\n");
                assertThat(peer.check(Duration.ofMillis(200))).as("check with the old credentials").isFalse();
                peer.acceptIceRestart(newFragment);
            }

            for (int i = 6; i <= 10; i++) {
                publisher.sendDeltaFrame((byte) i);
            }
            video.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 5, RECEIVE));
            assertThat(video).hasSize(10);
            assertThat(video.get(9).payload()[video.get(9).payload().length - 1]).isEqualTo((byte) 10);
            assertContinuous(video);
            assertThat(engine.openTransports()).isEqualTo(2);
        }
    }

    private static String peerServerPwd(TrickleResult restart) throws Exception {
        return org.sluice.core.sdp.TrickleFragmentParser.parse(restart.answerFragment()).effectiveIcePwd();
    }

    @Test
    void withoutConsentChecksForThirtySecondsTheTransportIsClosedAndTheSessionRemoved() throws Exception {
        try (SimulatedViewer silent = SimulatedViewer.start(engine, "room", "silent", CONNECT);
             SimulatedViewer alive = SimulatedViewer.start(engine, "room", "alive", CONNECT)) {
            assertThat(engine.sessionCount()).isEqualTo(2);
            assertThat(engine.openTransports()).isEqualTo(2);
            long closedBefore = engine.transportCounters().transportsClosed.sum();

            clock.advance(Duration.ofSeconds(20));
            assertThat(alive.peer().check(CONNECT)).isTrue();
            clock.advance(Duration.ofSeconds(11));

            await("the silent session removed", Duration.ofSeconds(5), () -> engine.sessionCount() == 1);
            assertThat(engine.session(silent.sessionId())).isNull();
            assertThat(engine.session(alive.sessionId())).isNotNull();
            assertThat(engine.openTransports()).isEqualTo(1);
            assertThat(engine.transportCounters().transportsClosed.sum() - closedBefore).isEqualTo(1);
            // A check now finds no transport behind the silent peer's credentials.
            assertThat(silent.peer().check(Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void aPeerThatSendsMediaButNoChecksKeepsItsTransportUntilThirtySecondsAfterItsLastPacket() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            // Like Pion: media and RTCP flow, no STUN check after connecting. Each step lets the
            // once-a-second liveness check see the packets before the clock moves on.
            for (int step = 1; step <= 4; step++) {
                publisher.sendAudio((byte) step);
                viewer.peer().sendPli(1, viewer.videoSsrc());
                awaitLivenessCheck();
                clock.advance(Duration.ofSeconds(20));
            }
            assertThat(engine.session(publisher.sessionId())).as("publisher alive after 80 s of media").isNotNull();
            assertThat(engine.session(viewer.sessionId())).as("viewer alive after 80 s of RTCP").isNotNull();

            // Then silence: consent ends 30 s after the last authenticated packet.
            awaitLivenessCheck();
            clock.advance(Duration.ofSeconds(31));
            await("both sessions removed", Duration.ofSeconds(5), () -> engine.sessionCount() == 0);
        }
    }

    /** Waits past one run of the transports' once-a-second check (it runs on real time). */
    private static void awaitLivenessCheck() throws InterruptedException {
        Thread.sleep(1300);
    }

    @Test
    void aSessionWhosePeerNeverSendsAValidCheckIsGivenUpAfterThirtySeconds() throws Exception {
        try (SimulatedPeer silent = SimulatedPeer.open("silent");
             SimulatedPeer wrongPassword = SimulatedPeer.open("wrong-password")) {
            // One peer never sends anything (a WHIP client that posted and vanished) ...
            String silentId = engine.subscribe("room", PeerOffer.viewer(silent).sdp()).sessionId();
            // ... the other checks with the right ufrag but a wrong password (claimed, never valid).
            SessionAnswer wrong = engine.subscribe("room", PeerOffer.viewer(wrongPassword).sdp());
            PeerAnswer answer = wrongPassword.accept(wrong.answerSdp());
            wrongPassword.acceptIceRestart("a=ice-ufrag:" + answer.iceUfrag() + "\r\na=ice-pwd:"
                    + "wrongpasswordwrongpassword\r\n");
            assertThat(wrongPassword.check(Duration.ofMillis(200))).isFalse();
            assertThat(engine.sessionCount()).isEqualTo(2);

            clock.advance(Duration.ofSeconds(31));

            await("both sessions given up", Duration.ofSeconds(5), () -> engine.sessionCount() == 0);
            assertThat(engine.session(silentId)).isNull();
            assertThat(engine.openTransports()).isZero();
        }
    }
}
