package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeControllerTest {
    private static final long MS = 1_000_000L;
    private static final long NOT_IN_ALR = Long.MIN_VALUE;

    @Test
    void startsWithProbesAt3And6TimesTheStartRate() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        ProbeCluster a = p.poll();
        ProbeCluster b = p.poll();
        assertThat(a.bitrateBps()).isEqualTo(900_000);
        assertThat(b.bitrateBps()).isEqualTo(1_800_000);
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.minPackets()).isEqualTo(5);
        assertThat(a.minDurationNanos()).isEqualTo(15 * MS);
        assertThat(p.poll()).isNull();
        assertThat(p.waitingForResult()).isTrue();
    }

    @Test
    void continuesExponentiallyWhileResultsReachTheProbeRate() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        p.setEstimatedBitrate(1_700_000, 200 * MS);
        assertThat(p.poll().bitrateBps()).isEqualTo(3_400_000);
        p.setEstimatedBitrate(2_000_000, 400 * MS);
        assertThat(p.poll()).isNull();
        p.process(2000 * MS, NOT_IN_ALR);
        assertThat(p.waitingForResult()).isFalse();
    }

    @Test
    void probesAreCappedAtTheMaximum() {
        ProbeController p = new ProbeController(1_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        assertThat(p.poll().bitrateBps()).isEqualTo(900_000);
        assertThat(p.poll().bitrateBps()).isEqualTo(1_000_000);
        assertThat(p.waitingForResult()).isFalse();
    }

    @Test
    void probesOnRequestAboveTheEstimateOnly() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        assertThat(p.requestProbe(2_500_000, 0)).as("before start-up probing").isFalse();
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        assertThat(p.requestProbe(2_500_000, 100 * MS)).as("while start-up probing awaits results").isFalse();
        p.setEstimatedBitrate(1_000_000, 2000 * MS);
        assertThat(p.requestProbe(800_000, 2000 * MS)).isFalse();
        assertThat(p.requestProbe(2_500_000, 2000 * MS)).isTrue();
        assertThat(p.requestProbe(2_500_000, 2000 * MS)).isFalse();
        assertThat(p.poll().bitrateBps()).isEqualTo(2_500_000);
        assertThat(p.requestProbe(2_500_000, 2100 * MS)).isFalse();
        assertThat(p.requestProbe(50_000_000, 2600 * MS)).as("within the request interval").isFalse();
        p.setEstimatedBitrate(2_400_000, 2900 * MS); // the estimate followed the probe
        assertThat(p.requestProbe(50_000_000, 3000 * MS)).isTrue();
        assertThat(p.poll().bitrateBps()).isEqualTo(10_000_000);
    }

    @Test
    void probesEvery5sWhileApplicationLimited() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        p.setEstimatedBitrate(1_000_000, 2000 * MS);
        p.process(3000 * MS, 3000 * MS);
        assertThat(p.poll()).isNull();
        p.process(7900 * MS, 3000 * MS);
        assertThat(p.poll()).isNull();
        p.process(8000 * MS, 3000 * MS);
        assertThat(p.poll().bitrateBps()).isEqualTo(2_000_000);
        p.process(9000 * MS, NOT_IN_ALR);
        p.process(20_000 * MS, NOT_IN_ALR);
        assertThat(p.poll()).isNull();
    }

    private static ProbeController afterStartUp(long estimateBps) {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        p.setEstimatedBitrate(estimateBps, 2000 * MS);
        return p;
    }

    @Test
    void aRequestedProbeTheEstimateDidNotFollowIsNotRepeatedForTheBackoff() {
        ProbeController p = afterStartUp(950_000);
        assertThat(p.requestProbe(1_700_000, 2000 * MS)).isTrue();
        p.poll();
        p.setEstimatedBitrate(960_000, 2100 * MS);
        // Every allocation round asks again: refused for 5 s from the failed request, at that rate or above.
        assertThat(p.requestProbe(1_700_000, 3500 * MS)).isFalse();
        assertThat(p.requestProbe(2_000_000, 6000 * MS)).isFalse();
        // A lower rate the link may carry is still probed.
        assertThat(p.requestProbe(1_100_000, 6000 * MS)).isTrue();
        p.poll();
        p.setEstimatedBitrate(1_050_000, 6100 * MS);
        assertThat(p.requestProbe(1_700_000, 6600 * MS)).isFalse();
        // After the backoff the higher rate is probed once more; failing again doubles the wait to 10 s.
        assertThat(p.requestProbe(1_700_000, 7100 * MS)).isTrue();
        p.poll();
        assertThat(p.requestProbe(1_700_000, 12_000 * MS)).isFalse();
        assertThat(p.requestProbe(1_700_000, 17_000 * MS)).isFalse();
        assertThat(p.requestProbe(1_700_000, 17_200 * MS)).isTrue();
    }

    @Test
    void reachingTheFailedRateEndsTheBackoff() {
        ProbeController p = afterStartUp(950_000);
        assertThat(p.requestProbe(1_700_000, 2000 * MS)).isTrue();
        p.poll();
        assertThat(p.requestProbe(1_700_000, 3100 * MS)).isFalse();
        // The link grew: the estimate got there without the probe (AIMD); the next upgrade is probed at once.
        p.setEstimatedBitrate(1_650_000, 3200 * MS);
        assertThat(p.requestProbe(2_400_000, 3700 * MS)).isTrue();
    }

    @Test
    void aProbeThatLiftedTheEstimateMostOfTheWayIsNotAFailure() {
        ProbeController p = afterStartUp(1_000_000);
        assertThat(p.requestProbe(1_900_000, 2000 * MS)).isTrue();
        p.poll();
        // A busy sender's probe measured 1.6 of the 1.9 Mbit/s asked: short of the rate, but most of the way there.
        p.setEstimatedBitrate(1_600_000, 2200 * MS);
        assertThat(p.requestProbe(1_900_000, 3100 * MS)).isTrue();
    }

    @Test
    void probesAt85PercentOfTheRateBeforeALargeDropOnceAskedAndNotAgainWithin5s() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        p.process(2000 * MS, NOT_IN_ALR); // start-up probing times out
        p.setEstimatedBitrate(1_000_000, 2000 * MS);
        p.setEstimatedBitrate(800_000, 2100 * MS);
        assertThat(p.requestRecoveryProbe(2200 * MS)).as("80% is not a large drop").isFalse();
        p.setEstimatedBitrate(500_000, 2300 * MS);
        assertThat(p.requestRecoveryProbe(2400 * MS)).isTrue();
        assertThat(p.poll().bitrateBps()).isEqualTo(850_000);
        assertThat(p.requestRecoveryProbe(3000 * MS)).as("at most every 5 s").isFalse();
        assertThat(p.recoveryProbes()).isEqualTo(1);
    }

    @Test
    void noRecoveryProbeMoreThan5sAfterTheDropBegan() {
        ProbeController p = new ProbeController(10_000_000, 300_000);
        p.process(0, NOT_IN_ALR);
        p.poll();
        p.poll();
        p.process(2000 * MS, NOT_IN_ALR);
        p.setEstimatedBitrate(1_000_000, 2000 * MS);
        p.setEstimatedBitrate(500_000, 2100 * MS);
        assertThat(p.requestRecoveryProbe(7200 * MS)).isFalse();
    }
}
