package org.sluice.rtp.nack;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NackGeneratorTest {

    private static final long MS = 1_000_000L;
    private static final long RTT = 50 * MS;

    private final int[] out = new int[64];

    private static NackGenerator generator() {
        return new NackGenerator(NackSettings.defaults());
    }

    /** collectDue as an exact-size array. */
    private int[] due(NackGenerator g, long now, long rtt) {
        int n = g.collectDue(now, rtt, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void settingsDefaultsAndValidation() {
        NackSettings d = NackSettings.defaults();
        assertThat(d).isEqualTo(new NackSettings(10, 1_000 * MS, 1000, 5 * MS, 20 * MS));
        assertThatThrownBy(() -> new NackSettings(0, 1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackSettings(1, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackSettings(1, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackSettings(1, 1, 0x8000, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackSettings(1, 1, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackSettings(1, 1, 1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NackGenerator(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstPacketOnlyInitializes() {
        NackGenerator g = generator();
        assertThat(g.highestSequenceNumber()).isEqualTo(-1);
        assertThat(g.onPacket(100, 0)).isEqualTo(-1);
        assertThat(g.highestSequenceNumber()).isEqualTo(100);
        assertThat(g.missing()).isZero();
        assertThat(due(g, 1_000 * MS, RTT)).isEmpty();
        assertThat(g.takeKeyframeNeeded()).isFalse();
    }

    @Test
    void reorderWithinHoldIsNeverNacked() {
        NackGenerator g = generator();
        g.onPacket(1, 0);
        g.onPacket(3, 1 * MS);
        assertThat(g.missing()).isEqualTo(1);
        assertThat(due(g, 4 * MS, RTT)).isEmpty();
        assertThat(g.onPacket(2, 5 * MS)).isEqualTo(-1);
        assertThat(g.missing()).isZero();
        assertThat(due(g, 100 * MS, RTT)).isEmpty();
        assertThat(g.nackedPackets()).isZero();
        assertThat(g.recovered()).isZero();
    }

    @Test
    void gapIsNackedAfterHoldThenAtRttSpacing() {
        NackGenerator g = generator();
        g.onPacket(10, 0);
        g.onPacket(14, 0); // 11, 12, 13 missing
        assertThat(due(g, 4 * MS, RTT)).isEmpty();
        assertThat(due(g, 5 * MS, RTT)).containsExactly(11, 12, 13);
        assertThat(due(g, 6 * MS, RTT)).isEmpty();
        assertThat(due(g, 54 * MS, RTT)).isEmpty();
        assertThat(due(g, 55 * MS, RTT)).containsExactly(11, 12, 13);
        // a retransmission answers the second NACK of 12 after 30 ms
        assertThat(g.onPacket(12, 85 * MS)).isEqualTo(30 * MS);
        assertThat(due(g, 105 * MS, RTT)).containsExactly(11, 13);
        assertThat(g.nackedPackets()).isEqualTo(8);
        assertThat(g.recovered()).isEqualTo(1);
        assertThat(g.missing()).isEqualTo(2);
    }

    @Test
    void retrySpacingIsAtLeastTheMinimumAndDefaultsWhenRttUnknown() {
        NackGenerator g = generator();
        g.onPacket(0, 0);
        g.onPacket(2, 0);
        assertThat(due(g, 5 * MS, 1 * MS)).containsExactly(1);
        assertThat(due(g, 24 * MS, 1 * MS)).isEmpty();
        assertThat(due(g, 25 * MS, 1 * MS)).containsExactly(1); // minRetryInterval 20 ms
        assertThat(due(g, 124 * MS, 0)).isEmpty();
        assertThat(due(g, 125 * MS, -1)).containsExactly(1); // unknown: 100 ms
    }

    @Test
    void givesUpAfterMaxTriesOnceTheLastNackHadItsChance() {
        NackGenerator g = new NackGenerator(new NackSettings(3, 10_000 * MS, 100, 0, 0));
        g.onPacket(0, 0);
        g.onPacket(2, 0);
        assertThat(due(g, 0, RTT)).containsExactly(1);
        assertThat(due(g, 50 * MS, RTT)).containsExactly(1);
        assertThat(due(g, 100 * MS, RTT)).containsExactly(1);
        assertThat(g.missing()).isEqualTo(1);
        assertThat(due(g, 149 * MS, RTT)).isEmpty();
        assertThat(g.missing()).isEqualTo(1);
        assertThat(g.takeKeyframeNeeded()).isFalse();
        assertThat(due(g, 150 * MS, RTT)).isEmpty();
        assertThat(g.missing()).isZero();
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.nackedPackets()).isEqualTo(3);
        assertThat(g.takeKeyframeNeeded()).isTrue();
        assertThat(g.takeKeyframeNeeded()).isFalse();
        assertThat(g.onPacket(1, 160 * MS)).isEqualTo(-1); // too late now: ignored
        assertThat(g.recovered()).isZero();
    }

    @Test
    void givesUpAfterMaxAge() {
        NackGenerator g = generator();
        g.onPacket(0, 0);
        g.onPacket(2, 0);
        assertThat(due(g, 5 * MS, 400 * MS)).containsExactly(1);
        assertThat(due(g, 405 * MS, 400 * MS)).containsExactly(1);
        assertThat(due(g, 805 * MS, 400 * MS)).containsExactly(1);
        assertThat(due(g, 1_000 * MS, 400 * MS)).isEmpty();
        assertThat(g.missing()).isEqualTo(1); // exactly maxAge: still tracked
        assertThat(due(g, 1_000 * MS + 1, 400 * MS)).isEmpty();
        assertThat(g.missing()).isZero();
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.takeKeyframeNeeded()).isTrue();
    }

    @Test
    void wrapsAround65535() {
        NackGenerator g = generator();
        g.onPacket(65533, 0);
        g.onPacket(1, 0); // 65534, 65535, 0 missing
        assertThat(g.missing()).isEqualTo(3);
        assertThat(g.highestSequenceNumber()).isEqualTo(1);
        assertThat(due(g, 5 * MS, RTT)).containsExactly(65534, 65535, 0);
        assertThat(g.onPacket(65535, 20 * MS)).isEqualTo(15 * MS);
        assertThat(g.onPacket(0, 21 * MS)).isEqualTo(16 * MS);
        assertThat(due(g, 55 * MS, RTT)).containsExactly(65534);
        g.onPacket(3, 60 * MS);
        assertThat(due(g, 65 * MS, RTT)).containsExactly(2);
        assertThat(g.recovered()).isEqualTo(2);
    }

    @Test
    void duplicatesAndOldPacketsAreIgnored() {
        NackGenerator g = generator();
        g.onPacket(100, 0);
        g.onPacket(101, 0);
        g.onPacket(103, 0);
        assertThat(g.onPacket(103, 1 * MS)).isEqualTo(-1);
        assertThat(g.onPacket(101, 1 * MS)).isEqualTo(-1);
        assertThat(g.onPacket(50, 1 * MS)).isEqualTo(-1);
        assertThat(g.missing()).isEqualTo(1);
        assertThat(due(g, 5 * MS, RTT)).containsExactly(102);
        assertThat(g.onPacket(102, 10 * MS)).isEqualTo(5 * MS);
        assertThat(g.onPacket(102, 11 * MS)).isEqualTo(-1); // the retransmission duplicated
        assertThat(g.recovered()).isEqualTo(1);
        assertThat(g.takeKeyframeNeeded()).isFalse();
    }

    @Test
    void bigJumpForwardRestarts() {
        NackGenerator g = new NackGenerator(new NackSettings(10, 1_000 * MS, 100, 0, 0));
        g.onPacket(0, 0);
        g.onPacket(5, 0);
        assertThat(g.missing()).isEqualTo(4);
        g.onPacket(106, 0); // 101 ahead of 5: more than maxMissing
        assertThat(g.missing()).isZero();
        assertThat(g.givenUp()).isEqualTo(4);
        assertThat(g.takeKeyframeNeeded()).isTrue();
        assertThat(g.highestSequenceNumber()).isEqualTo(106);
        g.onPacket(206, 0); // exactly maxMissing ahead: 99 missing
        assertThat(g.missing()).isEqualTo(99);
        assertThat(g.takeKeyframeNeeded()).isFalse();
        g.onPacket(206 + 0x7FFF, 0); // as far ahead as 16 bits can say
        assertThat(g.missing()).isZero();
        assertThat(g.takeKeyframeNeeded()).isTrue();
        assertThat(g.highestSequenceNumber()).isEqualTo(206 + 0x7FFF);
    }

    @Test
    void aRunOfFarOlderPacketsIsARestartButOneLatePacketIsNot() {
        NackGenerator g = new NackGenerator(new NackSettings(10, 1_000 * MS, 100, 0, 0));
        g.onPacket(30_000, 0);
        g.onPacket(30_002, 0);
        g.onPacket(20_000, 0); // one far-behind packet
        g.onPacket(30_003, 0);
        g.onPacket(20_001, 0); // a second, not following in a run
        assertThat(g.highestSequenceNumber()).isEqualTo(30_003);
        assertThat(g.missing()).isEqualTo(1);
        for (int s = 5_000; s < 5_000 + NackGenerator.RESTART_RUN - 1; s++) {
            g.onPacket(s, 0);
            assertThat(g.highestSequenceNumber()).isEqualTo(30_003);
        }
        assertThat(g.takeKeyframeNeeded()).isFalse();
        g.onPacket(5_000 + NackGenerator.RESTART_RUN - 1, 0);
        assertThat(g.highestSequenceNumber()).isEqualTo(5_000 + NackGenerator.RESTART_RUN - 1);
        assertThat(g.missing()).isZero();
        assertThat(g.takeKeyframeNeeded()).isTrue();
        g.onPacket(5_000 + NackGenerator.RESTART_RUN + 1, 0);
        assertThat(g.missing()).isEqualTo(1);
    }

    @Test
    void overflowDropsTheOldest() {
        NackGenerator g = new NackGenerator(new NackSettings(10, 1_000 * MS, 10, 0, 0));
        g.onPacket(0, 0);
        g.onPacket(8, 0); // 1..7 missing
        g.onPacket(12, 0); // 9..11 more: 10 missing, fits
        assertThat(g.missing()).isEqualTo(10);
        assertThat(g.takeKeyframeNeeded()).isFalse();
        g.onPacket(15, 0); // 13, 14: drops 1 and 2
        assertThat(g.missing()).isEqualTo(10);
        assertThat(g.givenUp()).isEqualTo(2);
        assertThat(g.takeKeyframeNeeded()).isTrue();
        assertThat(due(g, 0, RTT)).containsExactly(3, 4, 5, 6, 7, 9, 10, 11, 13, 14);
        assertThat(g.onPacket(1, 1 * MS)).isEqualTo(-1); // dropped: just old
        assertThat(g.onPacket(9, 1 * MS)).isEqualTo(1 * MS);
    }

    @Test
    void repeatedOverflowAndFillKeepOrder() {
        NackGenerator g = new NackGenerator(new NackSettings(100, 1_000 * MS, 8, 0, 0));
        g.onPacket(0, 0);
        int seq = 0;
        for (int i = 0; i < 50; i++) {
            seq += 3; // two missing each time
            g.onPacket(seq, 0);
            assertThat(g.missing()).isLessThanOrEqualTo(8);
            g.onPacket(seq - 1, 0); // fill the newer one
        }
        assertThat(g.missing()).isEqualTo(7); // 8 after each overflow, one filled
        int[] d = due(g, 0, RTT);
        assertThat(d).containsExactly(seq - 20, seq - 17, seq - 14, seq - 11, seq - 8, seq - 5, seq - 2);
    }

    @Test
    void dueNumbersBeyondTheOutputStayDue() {
        NackGenerator g = generator();
        g.onPacket(0, 0);
        g.onPacket(6, 0);
        int[] small = new int[2];
        assertThat(g.collectDue(5 * MS, RTT, small)).isEqualTo(2);
        assertThat(small).containsExactly(1, 2);
        assertThat(due(g, 6 * MS, RTT)).containsExactly(3, 4, 5);
        assertThat(g.nackedPackets()).isEqualTo(5);
    }

    @Test
    void tooLateFilterRemovesWithoutKeyframe() {
        NackGenerator g = generator();
        g.tooLate((seq, now) -> seq == 2 || (seq == 3 && now >= 50 * MS));
        g.onPacket(0, 0);
        g.onPacket(5, 0);
        assertThat(due(g, 5 * MS, RTT)).containsExactly(1, 3, 4);
        assertThat(g.missing()).isEqualTo(3);
        assertThat(due(g, 55 * MS, RTT)).containsExactly(1, 4);
        assertThat(g.givenUp()).isEqualTo(2);
        assertThat(g.takeKeyframeNeeded()).isFalse();
        g.tooLate(null);
        g.onPacket(7, 60 * MS);
        assertThat(due(g, 65 * MS, RTT)).containsExactly(6);
    }

    @Test
    void resetForgetsEverything() {
        NackGenerator g = generator();
        g.onPacket(0, 0);
        g.onPacket(3000, 0);
        g.onPacket(3002, 0);
        due(g, 5 * MS, RTT);
        g.reset();
        assertThat(g.missing()).isZero();
        assertThat(g.nackedPackets()).isZero();
        assertThat(g.givenUp()).isZero();
        assertThat(g.takeKeyframeNeeded()).isFalse();
        assertThat(g.highestSequenceNumber()).isEqualTo(-1);
        g.onPacket(10, 0);
        g.onPacket(12, 0);
        assertThat(due(g, 5 * MS, RTT)).containsExactly(11);
    }
}
