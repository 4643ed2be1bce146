package org.sluice.rtp.frame;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LayerStatisticsTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int[] L1T3 = {0, 2, 1, 2};
    private static final int[] BYTES = {3000, 1500, 1000};

    /** 30 fps L1T3 for {@code seconds}, frames at k/30 s; returns the time just after the last frame. */
    private static long feed(LayerStatistics stats, int seconds) {
        long start = 10 * SECOND;
        int frames = 30 * seconds;
        for (int k = 0; k < frames; k++) {
            int tid = L1T3[k % 4];
            long now = start + k * SECOND / 30;
            stats.onFrameComplete(3000L * k, 0, tid, k == 0, true, 2, BYTES[tid], now);
        }
        return start + frames * SECOND / 30;
    }

    @Test
    void l1t3RatesOverATwoSecondWindow() {
        LayerStatistics stats = new LayerStatistics(2 * SECOND, 20);
        long now = feed(stats, 5);
        assertThat(stats.framesPerSecond(0, 0, now)).isEqualTo(7.5);
        assertThat(stats.framesPerSecond(0, 1, now)).isEqualTo(7.5);
        assertThat(stats.framesPerSecond(0, 2, now)).isEqualTo(15.0);
        assertThat(stats.cumulativeFramesPerSecond(0, 0, now)).isEqualTo(7.5);
        assertThat(stats.cumulativeFramesPerSecond(0, 1, now)).isEqualTo(15.0);
        assertThat(stats.cumulativeFramesPerSecond(0, 2, now)).isEqualTo(30.0);
        assertThat(stats.bitsPerSecond(0, 0, now)).isEqualTo(7 * 3000 * 8 + 3000 * 8 / 2);
        assertThat(stats.bitsPerSecond(0, 1, now)).isEqualTo(90_000);
        assertThat(stats.bitsPerSecond(0, 2, now)).isEqualTo(120_000);
        assertThat(stats.cumulativeBitsPerSecond(0, 1, now)).isEqualTo(270_000);
        assertThat(stats.cumulativeBitsPerSecond(0, 2, now)).isEqualTo(390_000);
        assertThat(stats.totalBitsPerSecond(now)).isEqualTo(390_000);
        assertThat(stats.framesPerSecond(1, 0, now)).isZero();
        assertThat(stats.framesPerSecond(4, 0, now)).isZero();
        assertThat(stats.bitsPerSecond(0, -1, now)).isZero();
    }

    @Test
    void defaultOneSecondWindowIsCloseAndForgets() {
        LayerStatistics stats = new LayerStatistics();
        long now = feed(stats, 3);
        assertThat(stats.cumulativeFramesPerSecond(0, 2, now)).isCloseTo(30.0, within(1.0));
        assertThat(stats.cumulativeFramesPerSecond(0, 1, now)).isCloseTo(15.0, within(1.0));
        assertThat(stats.cumulativeFramesPerSecond(0, 0, now)).isCloseTo(7.5, within(1.0));
        assertThat(stats.cumulativeBitsPerSecond(0, 2, now)).isCloseTo(390_000L, within(30_000L));
        assertThat(stats.cumulativeFramesPerSecond(0, 2, now + 2 * SECOND)).isZero();
        assertThat(stats.totalBitsPerSecond(now + 2 * SECOND)).isZero();
    }

    @Test
    void perPacketBytes() {
        LayerStatistics stats = new LayerStatistics();
        for (int k = 0; k < 100; k++) {
            stats.recordBytes(1, 0, 1250, k * 10 * MS); // 1250 B every 10 ms = 1 Mbit/s
        }
        assertThat(stats.bitsPerSecond(1, 0, SECOND)).isEqualTo(1_000_000);
        assertThat(stats.cumulativeBitsPerSecond(1, 0, SECOND)).isEqualTo(1_000_000);
        assertThat(stats.cumulativeBitsPerSecond(0, 3, SECOND)).isZero();
        assertThat(stats.framesPerSecond(1, 0, SECOND)).isZero();
    }

    @Test
    void frameDelayVariation() {
        LayerStatistics stats = new LayerStatistics();
        for (int k = 0; k < 300; k++) {
            stats.recordFrame(0, 0, 3000L * k, k * SECOND / 30);
        }
        assertThat(stats.frameDelayVariationMillis()).isCloseTo(0.0, within(0.001));
        LayerStatistics jittery = new LayerStatistics();
        for (int k = 0; k < 300; k++) {
            long late = k % 2 == 1 ? 4 * MS : 0;
            jittery.recordFrame(0, 0, 0xFFFF_0000L + 3000L * k, k * SECOND / 30 + late); // timestamp wraps
            jittery.recordFrame(1, 0, 0xFFFF_0000L + 3000L * k, k * SECOND / 30 + late + MS); // same picture: ignored
        }
        assertThat(jittery.frameDelayVariationMillis()).isCloseTo(4.0, within(0.05));
    }
}
