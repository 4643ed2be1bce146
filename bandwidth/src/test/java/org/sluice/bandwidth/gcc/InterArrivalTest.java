package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterArrivalTest {
    private static final long MS = 1_000_000L;

    @Test
    void groupsPacketsSentWithin5msAndReportsDeltasBetweenCompletedGroups() {
        InterArrival ia = new InterArrival();
        int firstTrue = -1;
        for (int i = 0; i <= 20; i++) {
            boolean done = ia.computeDeltas(i * MS, i * MS + 10 * MS, i * MS + 20 * MS, 100);
            if (done && firstTrue < 0) {
                firstTrue = i;
                assertThat(ia.sendDeltaNanos()).isEqualTo(6 * MS);
                assertThat(ia.arrivalDeltaNanos()).isEqualTo(6 * MS);
                assertThat(ia.sizeDeltaBytes()).isZero();
            }
        }
        // groups [0..5], [6..11]; the packet at 12 ms completes the second
        assertThat(firstTrue).isEqualTo(12);
    }

    @Test
    void packetsReleasedTogetherByAQueueJoinTheBurst() {
        InterArrival ia = new InterArrival();
        for (int i = 0; i < 10; i++) {
            assertThat(ia.computeDeltas(i * MS, 50 * MS, 50 * MS, 100)).isFalse();
        }
        // a new group starts at 20 ms; the burst of ten is one group
        assertThat(ia.computeDeltas(20 * MS, 70 * MS, 70 * MS, 100)).isFalse();
        assertThat(ia.computeDeltas(30 * MS, 80 * MS, 80 * MS, 100)).isTrue();
        assertThat(ia.sendDeltaNanos()).isEqualTo(11 * MS);
        assertThat(ia.arrivalDeltaNanos()).isEqualTo(20 * MS);
        assertThat(ia.sizeDeltaBytes()).isEqualTo(100 - 1000);
    }

    @Test
    void packetsSentBeforeTheCurrentGroupAreIgnored() {
        InterArrival ia = new InterArrival();
        ia.computeDeltas(10 * MS, 20 * MS, 20 * MS, 100);
        assertThat(ia.computeDeltas(2 * MS, 21 * MS, 21 * MS, 100)).isFalse();
    }

    @Test
    void anArrivalClockJumpResets() {
        InterArrival ia = new InterArrival();
        ia.computeDeltas(0, 0, 0, 100);
        ia.computeDeltas(10 * MS, 10 * MS, 10 * MS, 100);
        assertThat(ia.computeDeltas(20 * MS, 20 * MS, 20 * MS, 100)).isTrue();
        // arrival jumps 10 s while local time moves 10 ms; seen when that group completes
        assertThat(ia.computeDeltas(30 * MS, 10_030 * MS, 30 * MS, 100)).isTrue();
        assertThat(ia.computeDeltas(40 * MS, 10_040 * MS, 40 * MS, 100)).isFalse();
        // after the reset it takes two completed groups again
        assertThat(ia.computeDeltas(50 * MS, 10_050 * MS, 50 * MS, 100)).isFalse();
        assertThat(ia.computeDeltas(60 * MS, 10_060 * MS, 60 * MS, 100)).isFalse();
        assertThat(ia.computeDeltas(70 * MS, 10_070 * MS, 70 * MS, 100)).isTrue();
    }
}
