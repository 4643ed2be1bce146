package org.sluice.rtp.nack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RttFilterTest {

    private static final long MS = 1_000_000L;

    @Test
    void unknownUntilTheFirstSampleWhichIsTakenAsIs() {
        RttFilter f = new RttFilter();
        assertThat(f.rttNanos()).isEqualTo(-1);
        f.add(0, 1);
        f.add(-5, 2);
        assertThat(f.rttNanos()).isEqualTo(-1);
        assertThat(f.samples()).isZero();
        f.add(80 * MS, 3);
        assertThat(f.rttNanos()).isEqualTo(80 * MS);
        assertThat(f.lastSampleNanos()).isEqualTo(3);
        assertThat(f.samples()).isEqualTo(1);
    }

    @Test
    void movesAnEighthOfTheWayToEachSample() {
        RttFilter f = new RttFilter();
        f.add(80 * MS, 0);
        f.add(160 * MS, 1);
        assertThat(f.rttNanos()).isEqualTo(90 * MS);
        f.add(10 * MS, 2);
        assertThat(f.rttNanos()).isEqualTo(80 * MS);
        for (int i = 0; i < 200; i++) {
            f.add(40 * MS, i);
        }
        assertThat(f.rttNanos()).isBetween(40 * MS, 40 * MS + 10);
    }

    @Test
    void clampsToOneMillisecondAndTenSeconds() {
        RttFilter f = new RttFilter();
        f.add(1, 0);
        assertThat(f.rttNanos()).isEqualTo(RttFilter.MIN_RTT_NANOS);
        f.reset();
        f.add(Long.MAX_VALUE, 0);
        assertThat(f.rttNanos()).isEqualTo(RttFilter.MAX_RTT_NANOS);
        for (int i = 0; i < 100; i++) {
            f.add(Long.MAX_VALUE, i);
        }
        assertThat(f.rttNanos()).isEqualTo(RttFilter.MAX_RTT_NANOS);
        f.reset();
        assertThat(f.rttNanos()).isEqualTo(-1);
        assertThat(f.samples()).isZero();
    }
}
