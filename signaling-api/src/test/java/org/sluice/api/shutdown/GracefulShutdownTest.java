package org.sluice.api.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The drain loop on a fake clock: the sleeper advances time, nothing really waits. */
class GracefulShutdownTest {

    private long now = 1_000;
    private final List<Long> sleeps = new ArrayList<>();

    private final class FakeTarget implements Drainable {
        boolean stopped;
        int live;
        /** Live sessions end after this many polls (Integer.MAX_VALUE: never). */
        int endAfterSleeps;

        @Override
        public void stopAdmitting() {
            stopped = true;
        }

        @Override
        public int liveSessions() {
            return sleeps.size() >= endAfterSleeps ? 0 : live;
        }
    }

    private GracefulShutdown shutdown(Duration drainTime) {
        return new GracefulShutdown(drainTime, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        });
    }

    @Test
    void withNoSessionsItReturnsAtOnceAfterStoppingAdmission() {
        FakeTarget target = new FakeTarget();
        assertThat(shutdown(Duration.ofSeconds(30)).drain(target)).isTrue();
        assertThat(target.stopped).isTrue();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void itWaitsUntilTheLastSessionEnds() {
        FakeTarget target = new FakeTarget();
        target.live = 2;
        target.endAfterSleeps = 3;
        assertThat(shutdown(Duration.ofSeconds(30)).drain(target)).isTrue();
        assertThat(sleeps).hasSize(3).allMatch(n -> n == GracefulShutdown.POLL_INTERVAL.toNanos());
    }

    @Test
    void itGivesUpWhenTheDrainTimeHasPassed() {
        FakeTarget target = new FakeTarget();
        target.live = 1;
        target.endAfterSleeps = Integer.MAX_VALUE;
        assertThat(shutdown(Duration.ofMillis(500)).drain(target)).isFalse();
        assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(sleeps).last().isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void anInterruptEndsTheDrainAndKeepsTheFlag() {
        FakeTarget target = new FakeTarget();
        target.live = 1;
        target.endAfterSleeps = Integer.MAX_VALUE;
        GracefulShutdown interrupted = new GracefulShutdown(Duration.ofSeconds(30), () -> now, nanos -> {
            throw new InterruptedException();
        });
        try {
            assertThat(interrupted.drain(target)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
