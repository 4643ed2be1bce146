package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.dtls.DtlsState;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedPeer;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.core.transport.TransportCounters;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.assertContinuous;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.Waits.await;

/**
 * Hostile datagrams from a connected peer's own address (so they pass the address binding and reach
 * its transport) are dropped and counted, and the session survives.
 */
class SfuEngineHostileInputTest {

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
    void hostileDatagramsAreDroppedAndCountedAndMediaKeepsFlowing() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            List<ReceivedRtp> video = new ArrayList<>();
            RtpTrack.Sent key = publisher.sendKeyFrame((byte) 1);
            RtpTrack.Sent delta = publisher.sendDeltaFrame((byte) 2);
            video.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 2, RECEIVE));
            assertThat(video).hasSize(2);
            SimulatedPeer attacker = publisher.peer();
            TransportCounters counters = engine.transportCounters();

            expectIncrement(counters, c -> c.unknownPacketClass,
                    () -> attacker.sendRaw(new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7}));
            expectIncrement(counters, c -> c.unknownPacketClass,
                    () -> attacker.sendRaw(new byte[] {0x42, 0x00, 0x00, 0x04, 1, 2, 3, 4}));
            expectIncrement(counters, c -> c.stunMalformed,
                    () -> attacker.sendRaw(new byte[] {0x00, 0x01, 0x00, 0x08, 0x21, 0x12, (byte) 0xA4, 0x42}));
            expectIncrement(counters, c -> c.srtpMalformed,
                    () -> attacker.sendRaw(Arrays.copyOf(delta.datagram(), 8)));
            // Replays are refused before authentication (RFC 3711 §3.3), so forgeries carry unused sequence numbers.
            expectIncrement(counters, c -> c.srtpAuthFailed,
                    () -> attacker.sendRaw(withSequence(Arrays.copyOf(delta.datagram(), delta.datagram().length - 3),
                            delta.sequence() + 100)));
            byte[] flipped = withSequence(delta.datagram().clone(), delta.sequence() + 200);
            flipped[20] ^= 0x01;
            expectIncrement(counters, c -> c.srtpAuthFailed, () -> attacker.sendRaw(flipped));
            expectIncrement(counters, c -> c.srtpReplayed, () -> attacker.sendRaw(key.datagram()));
            expectIncrement(counters, c -> c.srtpReplayed, () -> attacker.sendRaw(delta.datagram()));
            byte[] badRtcp = {(byte) 0x80, (byte) 201, 0x00, 0x01, 0, 0, 0, 1, (byte) 0x80, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9,
                    9, 9, 9};
            expectIncrement(counters, c -> c.srtcpFailed, () -> attacker.sendRaw(badRtcp));
            // A DTLS application-data record of the current epoch with garbage in it, and a bare record header.
            attacker.sendRaw(new byte[] {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 8, 1, 2, 3, 4, 5, 6,
                    7, 8});
            attacker.sendRaw(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0});
            // The publisher's genuine packet, from another address, is nobody's.
            try (SimulatedPeer stranger = SimulatedPeer.open("stranger")) {
                stranger.aimAt(attacker.answer().udpCandidate());
                RtpTrack.Sent fresh = publisher.sendDeltaFrame((byte) 3);
                expectIncrement(counters, c -> c.unknownSender, () -> stranger.sendRaw(fresh.datagram()));
                video.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, RECEIVE));
            }
            Thread.sleep(100);

            assertThat(engine.session(publisher.sessionId())).isNotNull();
            assertThat(engine.session(publisher.sessionId()).transport().isClosed()).isFalse();
            assertThat(attacker.dtlsState()).isEqualTo(DtlsState.CONNECTED);
            assertThat(viewer.peer().drainRtp()).as("nothing hostile was forwarded").isEmpty();
            for (int i = 4; i <= 8; i++) {
                publisher.sendDeltaFrame((byte) i);
            }
            video.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 5, RECEIVE));
            assertThat(video).hasSize(8);
            assertContinuous(video);
            assertThat(video).extracting(p -> p.payload()[p.payload().length - 1])
                    .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8);
        }
    }

    private static byte[] withSequence(byte[] srtp, int sequence) {
        srtp[2] = (byte) (sequence >> 8);
        srtp[3] = (byte) sequence;
        return srtp;
    }

    /** Runs {@code send} and waits until the selected counter grew by exactly one. */
    private static void expectIncrement(TransportCounters counters, Function<TransportCounters, LongAdder> counter,
                                        Runnable send) throws InterruptedException {
        long before = counter.apply(counters).sum();
        send.run();
        await("counter increment", CONNECT, () -> counter.apply(counters).sum() > before);
        Thread.sleep(20);
        assertThat(counter.apply(counters).sum()).isEqualTo(before + 1);
    }
}
