package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OveruseDetectorTest {

    @Test
    void usesTheDraftGains() {
        assertThat(OveruseDetector.K_UP).isEqualTo(0.01);
        assertThat(OveruseDetector.K_DOWN).isEqualTo(0.00018);
    }

    @Test
    void thresholdRisesTowardsATrendAboveItWithKUp() {
        OveruseDetector d = new OveruseDetector();
        d.detect(20, 5, 0, 100);
        assertThat(d.thresholdMs()).isEqualTo(12.5);
        d.detect(20, 5, 5, 100);
        assertThat(d.thresholdMs()).isCloseTo(12.5 + 0.01 * (20 - 12.5) * 5, within(1e-9));
    }

    @Test
    void thresholdSinksTowardsASmallTrendWithKDownAtMost100msAtATime() {
        OveruseDetector d = new OveruseDetector();
        d.detect(0, 5, 0, 100);
        d.detect(0, 5, 1000, 100);
        assertThat(d.thresholdMs()).isCloseTo(12.5 - 0.00018 * 12.5 * 100, within(1e-9));
    }

    @Test
    void thresholdIsClampedAndIgnoresOutliers() {
        OveruseDetector d = new OveruseDetector();
        for (int i = 0; i < 1000; i++) {
            d.detect(0, 5, i * 100, 100);
        }
        assertThat(d.thresholdMs()).isEqualTo(OveruseDetector.MIN_THRESHOLD_MS);

        OveruseDetector e = new OveruseDetector();
        e.detect(100, 5, 0, 100);
        e.detect(100, 5, 50, 100);
        assertThat(e.thresholdMs()).isEqualTo(12.5);
    }

    @Test
    void overuseNeedsMoreThan10msAndTwoGroupsAboveTheThreshold() {
        OveruseDetector d = new OveruseDetector();
        assertThat(d.detect(20, 5, 0, 100)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(d.detect(20, 5, 5, 100)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(d.detect(20.1, 5, 10, 100)).isEqualTo(BandwidthUsage.OVERUSING);
    }

    @Test
    void aDecreasingTrendAboveTheThresholdIsNotOveruse() {
        OveruseDetector d = new OveruseDetector();
        d.detect(25, 5, 0, 100);
        d.detect(24, 5, 5, 100);
        assertThat(d.detect(23, 5, 10, 100)).isEqualTo(BandwidthUsage.NORMAL);
    }

    @Test
    void underuseAndNormal() {
        OveruseDetector d = new OveruseDetector();
        assertThat(d.detect(-20, 5, 0, 100)).isEqualTo(BandwidthUsage.UNDERUSING);
        assertThat(d.detect(1, 5, 5, 100)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(d.detect(50, 5, 10, 1)).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(d.detect(Double.NaN, 5, 15, 100)).isEqualTo(BandwidthUsage.NORMAL);
    }
}
