package org.sluice.rtp.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiverStatisticsTest {

    private static final long MS = 1_000_000L;

    private final ReceiverStatistics stats = new ReceiverStatistics(8000);
    private final ReportBlockValues block = new ReportBlockValues();

    private boolean receive(int seq) {
        return stats.receive(seq, seq * 160L, seq * 20L * MS);
    }

    @Test
    void probationNeedsTwoSequentialPackets() {
        assertThat(stats.hasValidPackets()).isFalse();
        assertThat(stats.expected()).isZero();
        assertThat(receive(100)).isFalse();
        assertThat(stats.hasValidPackets()).isFalse();
        assertThat(receive(101)).isTrue();
        assertThat(stats.hasValidPackets()).isTrue();
        // RFC 3550 A.1: the statistics start at the packet that ends probation
        assertThat(stats.baseSequence()).isEqualTo(101);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.expected()).isEqualTo(1);
        for (int s = 102; s <= 110; s++) {
            assertThat(receive(s)).isTrue();
        }
        assertThat(stats.received()).isEqualTo(10);
        assertThat(stats.extendedHighestSequence()).isEqualTo(110);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void probationRestartsOnOutOfSequencePacket() {
        assertThat(receive(100)).isFalse();
        assertThat(receive(200)).isFalse();
        assertThat(receive(300)).isFalse();
        assertThat(receive(301)).isTrue();
        assertThat(stats.baseSequence()).isEqualTo(301);
    }

    @Test
    void probationAcrossWrap() {
        assertThat(receive(65535)).isFalse();
        assertThat(receive(0)).isTrue();
        assertThat(stats.baseSequence()).isZero();
    }

    @Test
    void lossAndFractionPerInterval() {
        receive(100);
        receive(101);
        receive(102);
        receive(104); // 103 lost
        receive(105);
        stats.fillReportBlock(block);
        // expected 101..105 = 5, received 4
        assertThat(block.cumulativeLost).isEqualTo(1);
        assertThat(block.fractionLost).isEqualTo((1 << 8) / 5);
        assertThat(block.extendedHighestSequence).isEqualTo(105);

        for (int s = 106; s <= 109; s++) {
            receive(s);
        }
        stats.fillReportBlock(block);
        assertThat(block.fractionLost).isZero();
        assertThat(block.cumulativeLost).isEqualTo(1);

        receive(112); // 110, 111 lost: interval expected 3, received 1
        stats.fillReportBlock(block);
        assertThat(block.fractionLost).isEqualTo((2 << 8) / 3);
        assertThat(block.cumulativeLost).isEqualTo(3);

        stats.fillReportBlock(block); // nothing new
        assertThat(block.fractionLost).isZero();
    }

    @Test
    void reorderedPacketsAreNotLost() {
        receive(100);
        receive(101);
        receive(103);
        receive(102);
        receive(104);
        stats.fillReportBlock(block);
        assertThat(block.cumulativeLost).isZero();
        assertThat(block.fractionLost).isZero();
        assertThat(block.extendedHighestSequence).isEqualTo(104);
    }

    @Test
    void duplicatesMakeLossNegativeAndFractionZero() {
        receive(100);
        receive(101);
        receive(102);
        receive(102);
        receive(103);
        receive(101);
        stats.fillReportBlock(block);
        assertThat(stats.received()).isEqualTo(5);
        assertThat(block.cumulativeLost).isEqualTo(-2);
        assertThat(block.fractionLost).isZero();
    }

    @Test
    void wrapCountsCycles() {
        receive(65533);
        receive(65534);
        receive(65535);
        receive(0);
        receive(2); // 1 lost
        receive(1); // late, before the new max after the wrap
        stats.fillReportBlock(block);
        assertThat(block.extendedHighestSequence).isEqualTo(65536 + 2);
        assertThat(stats.expected()).isEqualTo(65538 - 65534 + 1);
        assertThat(block.cumulativeLost).isZero();
        // a late packet from before the wrap does not add a cycle
        receive(65535);
        assertThat(stats.extendedHighestSequence()).isEqualTo(65538);
    }

    @Test
    void largeJumpIsDroppedUnlessFollowedInSequence() {
        receive(1000);
        receive(1001);
        receive(1002);
        assertThat(receive(20000)).isFalse();
        assertThat(receive(1003)).isTrue();
        assertThat(stats.extendedHighestSequence()).isEqualTo(1003);
        assertThat(stats.received()).isEqualTo(3);

        // restart: the jump and the next packet in sequence
        assertThat(receive(30000)).isFalse();
        assertThat(receive(30001)).isTrue();
        assertThat(stats.baseSequence()).isEqualTo(30001);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.extendedHighestSequence()).isEqualTo(30001);
        stats.fillReportBlock(block);
        assertThat(block.cumulativeLost).isZero();
        assertThat(block.fractionLost).isZero();
    }

    @Test
    void misorderLimit() {
        receive(1000);
        receive(1001);
        for (int s = 1002; s <= 1300; s++) {
            receive(s);
        }
        long received = stats.received();
        // 99 behind: accepted as reordered/duplicate
        assertThat(receive(1201)).isTrue();
        assertThat(stats.received()).isEqualTo(received + 1);
        // MAX_MISORDER (100) behind: treated like a jump (udelta = 2^16 - 100)
        assertThat(receive(1200)).isFalse();
        assertThat(stats.received()).isEqualTo(received + 1);
        // dropout boundary: 2999 ahead is in range, 3000 ahead is a jump
        assertThat(receive(1300 + 2999)).isTrue();
        assertThat(receive(4299 + 3000)).isFalse();
    }

    @Test
    void cumulativeLostIsClampedTo24Bits() {
        receive(0);
        receive(1);
        int seq = 1;
        for (int i = 0; i < 3000; i++) {
            seq = (seq + 2999) & 0xFFFF;
            assertThat(receive(seq)).isTrue();
        }
        assertThat(stats.expected() - stats.received()).isGreaterThan(0x7FFFFF);
        stats.fillReportBlock(block);
        assertThat(block.cumulativeLost).isEqualTo(0x7FFFFF);
        assertThat(block.fractionLost).isEqualTo(255); // 2998 of 2999 lost -> floor(256*2998/2999)
    }

    @Test
    void negativeCumulativeLostIsClamped() {
        receive(0);
        receive(1);
        for (int i = 0; i < 0x800001; i++) {
            stats.receive(1, 160, 20 * MS);
        }
        assertThat(stats.cumulativeLost()).isEqualTo(-0x800000);
    }

    @Test
    void jitterIsZeroForConstantTransit() {
        long base = 900_000_000_000_000_000L; // arbitrary epoch near the top of the long range
        for (int i = 0; i < 50; i++) {
            stats.receive(i, 12345 + i * 160L, base + i * 20 * MS);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterFollowsRfc3550IntegerEstimator() {
        // 8 kHz: a 5 ms deviation is 40 timestamp units; every other packet arrives 5 ms late.
        for (int i = 0; i < 2; i++) {
            stats.receive(i, i * 160L, i * 20 * MS);
        }
        assertThat(stats.jitter()).isZero();
        stats.receive(2, 320, 40 * MS + 5 * MS); // D = 40: J16 = 40 -> 2
        assertThat(stats.jitter()).isEqualTo(2);
        stats.receive(3, 480, 60 * MS);          // D = 40: J16 = 40 + 40 - 3 = 77 -> 4
        assertThat(stats.jitter()).isEqualTo(4);
        for (int i = 4; i < 400; i++) {
            stats.receive(i, i * 160L, i * 20 * MS + (i % 2 == 0 ? 5 * MS : 0));
        }
        // converges to |D| (the integer estimator settles one unit below)
        assertThat(stats.jitter()).isBetween(39L, 40L);
        stats.fillReportBlock(block);
        assertThat(block.jitter).isEqualTo(stats.jitter());
    }

    @Test
    void reorderedAndDuplicatePacketsDoNotFeedJitter() {
        for (int i = 0; i < 10; i++) {
            stats.receive(i, i * 160L, i * 20 * MS);
        }
        stats.receive(5, 5 * 160L, 500 * MS); // a retransmission arriving very late
        stats.receive(9, 9 * 160L, 600 * MS); // a duplicate
        assertThat(stats.jitter()).isZero();
        stats.receive(10, 10 * 160L, 200 * MS);
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterHandlesTimestampWrap() {
        long ts0 = 0xFFFFFF00L;
        for (int i = 0; i < 20; i++) {
            stats.receive(i, (ts0 + i * 160L) & 0xFFFFFFFFL, i * 20 * MS);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void rejectsNonPositiveClockRate() {
        assertThatThrownBy(() -> new ReceiverStatistics(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReceiverStatistics(90000).clockRate()).isEqualTo(90000);
    }
}
