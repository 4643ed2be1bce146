package org.sluice.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.rtp.rtcp.RembView;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.Waits.await;

/**
 * What operators see of a WHIP/WHEP room: the publisher's streams with their rates, and per viewer its streams; a
 * viewer whose downlink (its REMB) cannot carry the video has it held for bandwidth while its audio goes on.
 */
class SfuEngineBroadcastStatsTest {

    private SfuEngine engine;
    private ScheduledExecutorService media;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), new AdjustableNanoClock());
        media = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        media.shutdownNow();
        engine.close();
    }

    @Test
    void aViewerWhoseDownlinkCannotCarryTheVideoShowsItPausedForBandwidth() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT);
             SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            AtomicInteger tick = new AtomicInteger();
            media.scheduleAtFixedRate(() -> {
                int n = tick.incrementAndGet();
                if (n % 3 == 0) {
                    if (n % 90 == 3) {
                        publisher.sendKeyFrame((byte) n);
                    } else {
                        publisher.sendDeltaFrame((byte) n);
                    }
                }
                if (n % 2 == 0) {
                    publisher.sendAudio((byte) n);
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            await("the publisher's video layer is measured", Duration.ofSeconds(4), () -> {
                BroadcastStats room = room();
                return room != null && room.publisher() != null && room.publisher().streams().stream()
                        .anyMatch(s -> !s.layers().isEmpty());
            });
            assertThat(room().publisher().sessionId()).isEqualTo(publisher.sessionId());
            assertThat(room().viewers()).extracting(BroadcastStats.Viewer::sessionId)
                    .containsExactly(viewer.sessionId());
            assertThat(video(room()).pausedForBandwidth()).isFalse();

            media.scheduleAtFixedRate(() -> {
                ByteBuf remb = Unpooled.buffer(32);
                try {
                    RembView.write(remb, 0x5EED, 40_000, new long[] {viewer.videoSsrc()});
                    viewer.peer().sendRtcp(remb);
                } catch (RuntimeException closing) {
                    // the peer is closing
                } finally {
                    remb.release();
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            await("the video is held for bandwidth", Duration.ofSeconds(4), () -> video(room()).pausedForBandwidth());
            BroadcastStats.Viewer seen = room().viewers().get(0);
            assertThat(seen.estimateBps()).isPositive().isLessThanOrEqualTo(40_000);
            OutboundStreamStats audio = seen.streams().stream().filter(s -> s.kind() == MediaKind.AUDIO)
                    .findFirst().orElseThrow();
            assertThat(audio.pausedForBandwidth()).isFalse();
            long audioBefore = audio.packetsSent();
            long videoBefore = video(room()).packetsSent();
            Thread.sleep(600);
            assertThat(video(room()).packetsSent()).as("no video while held").isEqualTo(videoBefore);
            assertThat(room().viewers().get(0).streams().stream().filter(s -> s.kind() == MediaKind.AUDIO)
                    .findFirst().orElseThrow().packetsSent()).as("audio goes on").isGreaterThan(audioBefore);
        }
    }

    private BroadcastStats room() {
        List<BroadcastStats> all = engine.broadcasts();
        return all.stream().filter(b -> b.room().equals("room")).findFirst().orElse(null);
    }

    private static OutboundStreamStats video(BroadcastStats room) {
        return room.viewers().get(0).streams().stream().filter(s -> s.kind() == MediaKind.VIDEO).findFirst()
                .orElseThrow();
    }
}
