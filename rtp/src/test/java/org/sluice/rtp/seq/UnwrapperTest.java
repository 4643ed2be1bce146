package org.sluice.rtp.seq;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class UnwrapperTest {

    @Test
    void sequenceUnwrapsAcrossSeveralWraps() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        long expected = 65000;
        for (int i = 0; i < 200_000; i++) {
            assertThat(u.unwrap((int) (expected & 0xFFFF))).isEqualTo(expected);
            expected += 7;
        }
    }

    @Test
    void sequenceToleratesReorderingAroundWrap() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertThat(u.unwrap(65533)).isEqualTo(65533);
        assertThat(u.unwrap(1)).isEqualTo(65537);
        assertThat(u.unwrap(65535)).isEqualTo(65535);
        assertThat(u.unwrap(0)).isEqualTo(65536);
        assertThat(u.unwrap(65534)).isEqualTo(65534);
        assertThat(u.unwrap(2)).isEqualTo(65538);
        assertThat(u.peek(3)).isEqualTo(65539);
        assertThat(u.peek(65530)).isEqualTo(65530);
        assertThat(u.unwrap(3)).isEqualTo(65539);
    }

    @Test
    void sequenceBeforeFirstMayBeNegativeAndResetForgets() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertThat(u.peek(9)).isEqualTo(9);
        assertThat(u.unwrap(2)).isEqualTo(2);
        assertThat(u.unwrap(65535)).isEqualTo(-1);
        u.reset();
        assertThat(u.unwrap(65535)).isEqualTo(65535);
        assertThat(u.unwrap(0x1_0005)).isEqualTo(65541); // only the low 16 bits count
    }

    @Test
    void sequenceMatchesTruthUnderRandomReordering() {
        SplittableRandom random = new SplittableRandom(42);
        SequenceUnwrapper u = new SequenceUnwrapper();
        long truth = 60_000;
        u.unwrap((int) truth);
        for (int i = 0; i < 100_000; i++) {
            truth += 1 + random.nextInt(3);
            long sample = truth - random.nextInt(500); // late packets up to 500 behind
            assertThat(u.unwrap((int) (sample & 0xFFFF))).isEqualTo(sample);
        }
    }

    @Test
    void timestampUnwrapsAcrossWrapWithReordering() {
        TimestampUnwrapper u = new TimestampUnwrapper();
        assertThat(u.unwrap(0xFFFFF000L)).isEqualTo(0xFFFFF000L);
        assertThat(u.unwrap(0x00000BB8L)).isEqualTo(0x1_0000_0BB8L);
        assertThat(u.unwrap(0xFFFFFA00L)).isEqualTo(0xFFFFFA00L);
        assertThat(u.unwrap(0x00001770L)).isEqualTo(0x1_0000_1770L);
        assertThat(u.peek(0x10)).isEqualTo(0x1_0000_0010L);
        long ts = 0x1_0000_1770L;
        for (int i = 0; i < 10_000; i++) {
            ts += 3000 * 1000; // big steps, still less than half the space
            assertThat(u.unwrap(ts & 0xFFFFFFFFL)).isEqualTo(ts);
        }
        u.reset();
        assertThat(u.unwrap(5)).isEqualTo(5);
        assertThat(u.unwrap(0xFFFFFFFFL)).isEqualTo(-1);
    }
}
