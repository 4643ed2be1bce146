package org.sluice.loadgen.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.valueAt(0.5)).isCloseTo(50_000, within(50_000 * 0.02));
        assertThat((double) h.valueAt(0.99)).isCloseTo(99_000, within(99_000 * 0.02));
        assertThat((double) h.valueAt(0.999)).isCloseTo(99_900, within(99_900 * 0.02));
        assertThat(h.max()).isEqualTo(100_000);
    }

    @Test
    void smallValuesAreExactAndBucketsRoundTrip() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(3);
        h.record(3);
        h.record(100);
        assertThat(h.valueAt(0.5)).isEqualTo(3);
        assertThat(h.valueAt(1.0)).isEqualTo(100);
        for (long v : new long[] {128, 129, 1000, 123_456, 1L << 40}) {
            long lower = LatencyHistogram.lowerBound(LatencyHistogram.index(v));
            assertThat(lower).isLessThanOrEqualTo(v);
            assertThat((double) v - lower).isLessThanOrEqualTo(v / 64.0);
        }
    }

    @Test
    void mergingAddsCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.max()).isEqualTo(20_000);
        assertThat(new LatencyHistogram().valueAt(0.5)).isZero();
    }
}
