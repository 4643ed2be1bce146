package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AcknowledgedBitrateEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void measuresTheReceivedRateAfterTheFirstWindow() {
        AcknowledgedBitrateEstimator a = new AcknowledgedBitrateEstimator();
        for (int i = 0; i < 50; i++) {
            a.onPacket(i * 10 * MS, i * 10 * MS, 1250, false);
        }
        assertThat(a.bitrateBps()).isNaN();
        for (int i = 50; i < 300; i++) {
            a.onPacket(i * 10 * MS, i * 10 * MS, 1250, false);
        }
        assertThat(a.bitrateBps()).isCloseTo(1_000_000, within(30_000.0));
    }

    @Test
    void followsADropInRate() {
        AcknowledgedBitrateEstimator a = new AcknowledgedBitrateEstimator();
        long t = 0;
        for (int i = 0; i < 300; i++, t += 10 * MS) {
            a.onPacket(t, t, 1250, false);
        }
        for (int i = 0; i < 150; i++, t += 20 * MS) {
            a.onPacket(t, t, 1250, false);
        }
        assertThat(a.bitrateBps()).isCloseTo(500_000, within(50_000.0));
    }
}
