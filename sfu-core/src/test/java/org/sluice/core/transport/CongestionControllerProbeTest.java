package org.sluice.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.bandwidth.gcc.GccSettings;
import org.sluice.bandwidth.pacer.PacingClass;

/**
 * How a probe cluster goes out: its padding is spread at the cluster's rate, and media sent while the cluster is
 * under way counts toward it, so the cluster's total rate is the probe rate and not probe plus media.
 */
class CongestionControllerProbeTest {
    private static final int MEDIA_BYTES = 1200;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private long paddingBytes;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private CongestionController controller() {
        channel.freezeTime();
        CongestionController controller = new CongestionController(new GccSettings(2_500_000, 30_000, 10_000_000), clock::get,
                channel.eventLoop(), packet -> {
                    packet.release();
                }, new CongestionCounters());
        controller.paddingFrom((bytes, sequence) -> {
            paddingBytes += bytes;
            return Unpooled.buffer(bytes).writerIndex(bytes);
        });
        return controller;
    }

    private static ByteBuf media() {
        return Unpooled.buffer(MEDIA_BYTES).writerIndex(MEDIA_BYTES);
    }

    /**
     * Starts the first start-up cluster (3 x 2.5 Mbit/s for 15 ms: about 14 kB, above its 10 kB floor) and runs it for {@code millis}
     * milliseconds, sending a media packet every {@code mediaEveryMillis} (0: none).
     */
    private void runProbe(CongestionController controller, int millis, int mediaEveryMillis) {
        controller.send(media(), controller.nextSequence(), PacingClass.VIDEO);
        controller.onTick();
        for (int ms = 0; ms < millis; ms++) {
            if (mediaEveryMillis > 0 && ms % mediaEveryMillis == 0) {
                controller.send(media(), controller.nextSequence(), PacingClass.VIDEO);
            }
            clock.addAndGet(1_000_000L);
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void paddingAloneCarriesTheClusterWhenNoMediaFlows() {
        CongestionController controller = controller();
        runProbe(controller, 20, 0);
        assertThat(paddingBytes).isBetween(13_000L, 15_000L);
        assertThat(controller.probePacketsSent()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void mediaSentDuringTheClusterReplacesPadding() {
        CongestionController alone = controller();
        runProbe(alone, 20, 0);
        long paddingAlone = paddingBytes;

        paddingBytes = 0;
        CongestionController withMedia = controller();
        runProbe(withMedia, 20, 2);
        // 1200 B of media every 2 ms (4.8 Mbit/s) during the 15 ms cluster is about 9 kB of its 14 kB: padding
        // makes up only the rest, instead of a full cluster of padding on top of the media.
        // At least six of the media packets fall inside the cluster's 15 ms.
        assertThat(paddingBytes).isLessThanOrEqualTo(paddingAlone - 6 * MEDIA_BYTES)
                .isGreaterThan(0);
    }
}
