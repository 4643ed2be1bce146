package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProbeBitrateEstimatorTest {
    private static final long MS = 1_000_000L;
    /** 9.6 Mbit/s for 15 ms: 18000 bytes, so 12 packets of 1200 bytes reach the 80% minimum. */
    private static final ProbeCluster CLUSTER = new ProbeCluster(7, 9_600_000, 5, 15 * MS);

    private static double run(ProbeBitrateEstimator e, int packets, long sendGapNanos, long recvGapNanos) {
        double r = Double.NaN;
        for (int i = 0; i < packets; i++) {
            r = e.onPacket(7, i * sendGapNanos, 100 * MS + i * recvGapNanos, 1200);
        }
        return r;
    }

    @Test
    void aClusterThatGotThroughMeasuresItsSendRate() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        e.register(CLUSTER);
        assertThat(run(e, 15, MS, MS)).isCloseTo(9_600_000, within(1.0));
        assertThat(e.fetchAndResetLastEstimate()).isCloseTo(9_600_000, within(1.0));
        assertThat(e.fetchAndResetLastEstimate()).isNaN();
    }

    @Test
    void aSaturatedLinkGives95PercentOfTheReceiveRate() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        e.register(CLUSTER);
        // received twice as spread: 4.8 Mbit/s
        assertThat(run(e, 15, MS, 2 * MS)).isCloseTo(0.95 * 4_800_000, within(1.0));
    }

    @Test
    void tooFewPacketsOrBytesGiveNothing() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        e.register(CLUSTER);
        assertThat(run(e, 11, MS, MS)).isNaN();
    }

    @Test
    void implausibleClustersGiveNothing() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        e.register(CLUSTER);
        // received ten times faster than sent
        assertThat(run(e, 15, MS, MS / 10)).isNaN();
        ProbeBitrateEstimator f = new ProbeBitrateEstimator();
        f.register(CLUSTER);
        // all sent at once
        assertThat(run(f, 15, 0, MS)).isNaN();
    }

    @Test
    void unknownClustersAndBadPacketsAreIgnored() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        assertThat(run(e, 15, MS, MS)).isNaN();
        e.register(CLUSTER);
        assertThat(e.onPacket(-1, 0, 0, 1200)).isNaN();
        assertThat(e.onPacket(7, 0, 0, 0)).isNaN();
        assertThat(e.onPacket(8, 0, 0, 1200)).isNaN();
    }

    @Test
    void slotsAreReusedOldestFirst() {
        ProbeBitrateEstimator e = new ProbeBitrateEstimator();
        e.register(CLUSTER);
        for (int i = 0; i < ProbeBitrateEstimator.SLOTS; i++) {
            e.register(new ProbeCluster(100 + i, 1_000_000, 5, 15 * MS));
        }
        assertThat(run(e, 15, MS, MS)).isNaN();
    }
}
