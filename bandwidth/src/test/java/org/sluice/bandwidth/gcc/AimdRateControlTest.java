package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AimdRateControlTest {
    private static final long S = 1_000_000_000L;

    private static AimdRateControl started(long bps) {
        AimdRateControl a = new AimdRateControl(30_000, 10_000_000);
        a.setStartBitrate(bps);
        return a;
    }

    @Test
    void overuseDecreasesTo085TimesTheAcknowledgedRate() {
        AimdRateControl a = started(2_000_000);
        assertThat(a.update(BandwidthUsage.OVERUSING, 1_000_000, S)).isCloseTo(850_000, within(1e-6));
        assertThat(a.state()).isEqualTo(AimdRateControl.State.HOLD);
        assertThat(a.linkCapacityBps()).isCloseTo(1_000_000, within(1e-6));
    }

    @Test
    void overuseNeverIncreasesTheRate() {
        AimdRateControl a = started(500_000);
        assertThat(a.update(BandwidthUsage.OVERUSING, 1_000_000, S)).isEqualTo(500_000);
    }

    @Test
    void increaseIsMultiplicative8PercentPerSecondFarFromConvergence() {
        AimdRateControl a = started(1_000_000);
        a.update(BandwidthUsage.NORMAL, 1_000_000, 0);
        double r = a.update(BandwidthUsage.NORMAL, 1_000_000, S);
        assertThat(r).isCloseTo(1_001_000 * 1.08, within(1.0));
    }

    @Test
    void increaseIsAdditiveNearTheLinkCapacity() {
        AimdRateControl a = started(2_000_000);
        a.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        a.update(BandwidthUsage.NORMAL, 900_000, S);
        double r = a.update(BandwidthUsage.NORMAL, 900_000, 2 * S);
        // 850 kbit/s: 3 packets of 9444 bits per 1/30 s frame, response time 300 ms
        assertThat(r - 850_000).isCloseTo(9444.44 / 0.3, within(5.0));
    }

    @Test
    void increaseIsCappedByTheAcknowledgedRate() {
        AimdRateControl a = started(1_000_000);
        a.update(BandwidthUsage.NORMAL, 100_000, 0);
        assertThat(a.update(BandwidthUsage.NORMAL, 100_000, S)).isEqualTo(1_000_000);
        AimdRateControl b = started(100_000);
        for (int i = 0; i <= 200; i++) {
            b.update(BandwidthUsage.NORMAL, 100_000, i * S / 10);
        }
        assertThat(b.latestEstimateBps()).isEqualTo(160_000);
    }

    @Test
    void underuseHolds() {
        AimdRateControl a = started(1_000_000);
        a.update(BandwidthUsage.NORMAL, 1_000_000, 0);
        assertThat(a.update(BandwidthUsage.UNDERUSING, 1_000_000, S)).isCloseTo(1_001_000, within(1.0));
        assertThat(a.state()).isEqualTo(AimdRateControl.State.HOLD);
    }

    @Test
    void reducesFurtherAfterAnRttOrWhenThroughputCollapsed() {
        AimdRateControl a = started(1_000_000);
        a.setRtt(100_000_000);
        a.update(BandwidthUsage.OVERUSING, 1_000_000, S);
        assertThat(a.timeToReduceFurther(S + 50_000_000, 800_000)).isFalse();
        assertThat(a.timeToReduceFurther(S + 50_000_000, 400_000)).isTrue();
        assertThat(a.timeToReduceFurther(S + 100_000_000, 800_000)).isTrue();
    }

    @Test
    void staysWithinMinAndMax() {
        AimdRateControl a = started(50_000);
        a.update(BandwidthUsage.OVERUSING, 10_000, S);
        assertThat(a.latestEstimateBps()).isEqualTo(30_000);
        a.setEstimate(1e12, 2 * S);
        assertThat(a.latestEstimateBps()).isEqualTo(10_000_000);
        a.setEstimate(Double.NaN, 3 * S);
        assertThat(a.latestEstimateBps()).isEqualTo(10_000_000);
    }
}
