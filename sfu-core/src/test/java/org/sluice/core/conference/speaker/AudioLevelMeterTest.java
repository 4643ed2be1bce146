package org.sluice.core.conference.speaker;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class AudioLevelMeterTest {

    private static final long MS = 1_000_000L;

    @Test
    void steadyLevelConvergesToItsLinearAmplitude() {
        AudioLevelMeter meter = new AudioLevelMeter();
        long t = 0;
        for (int i = 0; i < 100; i++, t += 20 * MS) { // 2 s, ten time constants
            meter.record(20, t);
        }
        long last = t - 20 * MS;
        assertThat(meter.level(last)).isCloseTo(0.1, within(0.001));
        assertThat(meter.energy(last)).isCloseTo(0.01, within(0.0001));
    }

    @Test
    void riseFollowsTheTimeConstant() {
        AudioLevelMeter meter = new AudioLevelMeter(200 * MS, 500 * MS);
        for (long t = 0; t <= 200 * MS; t += 20 * MS) {
            meter.record(0, t); // full scale, energy 1
        }
        // eleven 20 ms frames: 1 - exp(-220/200)
        assertThat(meter.energy(200 * MS)).isCloseTo(1 - Math.exp(-1.1), within(1e-9));
    }

    @Test
    void neverFedAndSilenceReadZero() {
        AudioLevelMeter meter = new AudioLevelMeter();
        assertThat(meter.level(0)).isZero();
        for (long t = 0; t < 1000 * MS; t += 20 * MS) {
            meter.record(127, t);
        }
        assertThat(meter.level(980 * MS)).isZero();
    }

    @Test
    void levelsOutsideTheRangeAreIgnored() {
        AudioLevelMeter meter = new AudioLevelMeter();
        meter.record(-1, 0);
        meter.record(128, 0);
        meter.record(Integer.MAX_VALUE, 0);
        assertThat(meter.level(0)).isZero();
        meter.record(0, 0);
        double after = meter.energy(0);
        meter.record(200, 20 * MS);
        assertThat(meter.energy(0)).isEqualTo(after);
    }

    @Test
    void readDecaysAndAStaleMeterReadsSilent() {
        AudioLevelMeter meter = new AudioLevelMeter(200 * MS, 500 * MS);
        for (long t = 0; t <= 1000 * MS; t += 20 * MS) {
            meter.record(10, t);
        }
        double atLast = meter.energy(1000 * MS);
        assertThat(meter.energy(1200 * MS)).isCloseTo(atLast * Math.exp(-1), within(1e-12));
        assertThat(meter.energy(1500 * MS)).isGreaterThan(0);
        assertThat(meter.energy(1501 * MS)).isZero(); // DTX: no packet for > 500 ms
    }

    @Test
    void aPacketAfterADtxGapWeighsOneFrameNotTheGap() {
        AudioLevelMeter meter = new AudioLevelMeter(200 * MS, 500 * MS);
        meter.record(127, 0);
        meter.record(0, 3000 * MS); // three seconds later, full scale
        assertThat(meter.energy(3000 * MS)).isCloseTo(1 - Math.exp(-60.0 / 200), within(1e-12));
        assertThat(AudioLevelMeter.MAX_PACKET_NANOS).isEqualTo(60 * MS);
    }

    @Test
    void reorderedPacketsDoNotBreakTheAverage() {
        AudioLevelMeter meter = new AudioLevelMeter();
        meter.record(20, 100 * MS);
        meter.record(20, 80 * MS); // earlier than the last: no decay, no weight
        assertThat(meter.energy(100 * MS)).isBetween(0.0, 0.01);
    }

    @Test
    void amplitudeOfLevels() {
        assertThat(AudioLevelMeter.amplitudeOf(0)).isEqualTo(1.0);
        assertThat(AudioLevelMeter.amplitudeOf(20)).isCloseTo(0.1, within(1e-12));
        assertThat(AudioLevelMeter.amplitudeOf(127)).isZero();
    }

    @Test
    void recordAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();

        AudioLevelMeter meter = new AudioLevelMeter();
        long t = 0;
        for (int i = 0; i < 50_000; i++, t += 20 * MS) {
            meter.record(i % 130, t); // includes ignored values 128, 129
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 50_000; i++, t += 20 * MS) {
            meter.record(i % 130, t);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(meter.energy(t)).isGreaterThanOrEqualTo(0);
        // the counter itself may account a few bytes; per packet it must be zero
        assertThat(allocated).isLessThan(1024);
    }

    @Test
    void aConcurrentReaderSeesSaneValues() throws Exception {
        AudioLevelMeter meter = new AudioLevelMeter();
        long[] clock = {0};
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                meter.record(i % 128, i * 20 * MS);
            }
        });
        writer.start();
        while (writer.isAlive()) {
            double energy = meter.energy(Long.MAX_VALUE / 2);
            assertThat(energy).isBetween(0.0, 1.0);
            double now = meter.energy(clock[0]);
            assertThat(now).isBetween(0.0, 1.0).isNotNaN();
        }
        writer.join();
    }
}
