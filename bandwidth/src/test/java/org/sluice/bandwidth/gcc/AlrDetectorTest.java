package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlrDetectorTest {
    private static final long MS = 1_000_000L;

    @Test
    void sendingWellBelowTheTargetIsApplicationLimitedUntilTheSenderCatchesUp() {
        AlrDetector d = new AlrDetector(1_000_000);
        long t = 0;
        // 192 kbit/s against a 1 Mbit/s target
        for (; t < 2000 * MS; t += 50 * MS) {
            d.onBytesSent(1200, t);
        }
        assertThat(d.inAlr()).isTrue();
        long start = d.alrStartNanos();
        assertThat(start).isBetween(0L, 1000 * MS);
        assertThat(d.takeAlrEnded()).isEqualTo(Long.MIN_VALUE);

        // 1 Mbit/s
        for (long end = t + 2000 * MS; t < end; t += 9_600_000L) {
            d.onBytesSent(1200, t);
        }
        assertThat(d.inAlr()).isFalse();
        assertThat(d.alrStartNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.takeAlrEnded()).isBetween(2000 * MS, 3000 * MS);
        assertThat(d.takeAlrEnded()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void sendingAtTheTargetIsNotApplicationLimited() {
        AlrDetector d = new AlrDetector(1_000_000);
        for (long t = 0; t < 3000 * MS; t += 9_600_000L) {
            d.onBytesSent(1200, t);
            assertThat(d.inAlr()).isFalse();
        }
    }

    @Test
    void aHigherTargetMakesTheSameSendingApplicationLimited() {
        AlrDetector d = new AlrDetector(1_000_000);
        long t = 0;
        for (; t < 1000 * MS; t += 9_600_000L) {
            d.onBytesSent(1200, t);
        }
        assertThat(d.inAlr()).isFalse();
        d.setTargetBitrate(5_000_000);
        for (long end = t + 1000 * MS; t < end; t += 9_600_000L) {
            d.onBytesSent(1200, t);
        }
        assertThat(d.inAlr()).isTrue();
    }
}
