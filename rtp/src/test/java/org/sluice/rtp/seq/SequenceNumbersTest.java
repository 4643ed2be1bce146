package org.sluice.rtp.seq;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceNumbersTest {

    @Test
    void newerAcrossWrap() {
        assertThat(SequenceNumbers.isNewer(1, 0)).isTrue();
        assertThat(SequenceNumbers.isNewer(0, 1)).isFalse();
        assertThat(SequenceNumbers.isNewer(0, 65535)).isTrue();
        assertThat(SequenceNumbers.isNewer(65535, 0)).isFalse();
        assertThat(SequenceNumbers.isNewer(100, 65500)).isTrue();
        assertThat(SequenceNumbers.isNewer(5, 5)).isFalse();
        assertThat(SequenceNumbers.isNewer(0x7FFF, 0)).isTrue();
        assertThat(SequenceNumbers.isNewer(0x8001, 0)).isFalse();
    }

    @Test
    void halfwayIsDecidedByRawValueSoNeverBothNewer() {
        assertThat(SequenceNumbers.isNewer(0x8000, 0)).isTrue();
        assertThat(SequenceNumbers.isNewer(0, 0x8000)).isFalse();
        for (int a = 0; a < 65536; a += 97) {
            for (int b = 0; b < 65536; b += 101) {
                assertThat(SequenceNumbers.isNewer(a, b) && SequenceNumbers.isNewer(b, a)).isFalse();
                if (a != b) {
                    assertThat(SequenceNumbers.isNewer(a, b) || SequenceNumbers.isNewer(b, a)).isTrue();
                }
            }
        }
    }

    @Test
    void diffIsSigned() {
        assertThat(SequenceNumbers.diff(0, 65535)).isEqualTo(1);
        assertThat(SequenceNumbers.diff(65535, 0)).isEqualTo(-1);
        assertThat(SequenceNumbers.diff(10, 65530)).isEqualTo(16);
        assertThat(SequenceNumbers.diff(0x8000, 0)).isEqualTo(-32768);
        assertThat(SequenceNumbers.diff(0x7FFF, 0)).isEqualTo(32767);
        assertThat(SequenceNumbers.add(65535, 2)).isEqualTo(1);
        assertThat(SequenceNumbers.add(0, -1)).isEqualTo(65535);
        assertThat(SequenceNumbers.latest(65535, 2)).isEqualTo(2);
        assertThat(SequenceNumbers.latest(3, 65534)).isEqualTo(3);
    }

    @Test
    void timestampsAcrossWrap() {
        assertThat(RtpTimestamps.isNewer(0, 0xFFFFFFFFL)).isTrue();
        assertThat(RtpTimestamps.isNewer(0xFFFFFFFFL, 0)).isFalse();
        assertThat(RtpTimestamps.isNewer(0x80000000L, 0)).isTrue();
        assertThat(RtpTimestamps.isNewer(0, 0x80000000L)).isFalse();
        assertThat(RtpTimestamps.isNewer(7, 7)).isFalse();
        assertThat(RtpTimestamps.diff(100, 0xFFFFFF00L)).isEqualTo(356);
        assertThat(RtpTimestamps.diff(0xFFFFFF00L, 100)).isEqualTo(-356);
        assertThat(RtpTimestamps.add(0xFFFFFFFFL, 3000)).isEqualTo(2999);
    }
}
