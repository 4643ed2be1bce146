package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrendlineEstimatorTest {

    /** Feeds {@code n} groups sent 5 ms apart whose delay grows by {@code growthMs} each. */
    private static TrendlineEstimator feed(int n, double growthMs) {
        TrendlineEstimator t = new TrendlineEstimator();
        double arrival = 0;
        for (int i = 0; i < n; i++) {
            arrival += 5 + growthMs;
            t.update(5 + growthMs, 5, arrival);
        }
        return t;
    }

    @Test
    void slopeOfLinearlyGrowingDelayIsGrowthOverArrivalSpacing() {
        TrendlineEstimator t = feed(200, 0.5);
        assertThat(t.trend()).isCloseTo(0.5 / 5.5, within(0.001));
        assertThat(t.modifiedTrend()).isCloseTo(60 * 4 * 0.5 / 5.5, within(0.3));
    }

    @Test
    void constantDelayHasNoTrend() {
        TrendlineEstimator t = feed(200, 0);
        assertThat(t.trend()).isCloseTo(0, within(1e-9));
    }

    @Test
    void shrinkingDelayHasANegativeTrend() {
        TrendlineEstimator t = feed(200, -0.5);
        assertThat(t.trend()).isCloseTo(-0.5 / 4.5, within(0.001));
    }

    @Test
    void trendStaysZeroUntilTheWindowFillsAndScalesWithDeltaCount() {
        TrendlineEstimator t = feed(TrendlineEstimator.WINDOW - 1, 1);
        assertThat(t.trend()).isZero();
        t.update(6, 5, 200);
        assertThat(t.trend()).isPositive();
        assertThat(t.modifiedTrend()).isCloseTo(t.trend() * 20 * 4, within(1e-9));
    }

    @Test
    void nonFiniteInputIsIgnored() {
        TrendlineEstimator t = feed(50, 0.5);
        double before = t.trend();
        t.update(Double.NaN, 5, 1000);
        t.update(5, 5, Double.POSITIVE_INFINITY);
        assertThat(t.trend()).isEqualTo(before);
    }
}
