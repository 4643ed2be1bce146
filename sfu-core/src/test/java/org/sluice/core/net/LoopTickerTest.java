package org.sluice.core.net;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.testing.Waits;
import org.sluice.rtp.testing.ThreadAllocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One timer per loop for its members' periodic work: every member ticked once per sweep, additions and removals
 * from any thread, a member removed or stopped during a sweep not ticked after that, and a sweep that allocates
 * nothing.
 */
class LoopTickerTest {

    /** A period the timer never reaches during a test: the test sweeps by hand on the loop. */
    private static final long NEVER = TimeUnit.HOURS.toMillis(1);

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** A member the way a peer leg is one: it counts its ticks, and once stopped it is done. */
    private static final class Counting implements LoopTicker.Member {
        final AtomicInteger ticks = new AtomicInteger();
        volatile boolean stopped;
        Runnable during;

        @Override
        public boolean tick() {
            if (stopped) {
                return false;
            }
            ticks.incrementAndGet();
            if (during != null) {
                during.run();
            }
            return true;
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private void sweep(LoopTicker ticker) throws Exception {
        onLoop(() -> {
            ticker.sweep();
            return null;
        });
    }

    private static List<Counting> members(int count) {
        List<Counting> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(new Counting());
        }
        return members;
    }

    @Test
    void everyMemberIsTickedOncePerPeriodByTheOneTimer() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, 10, TimeUnit.MILLISECONDS, "test");
        List<Counting> members = members(300);
        onLoop(() -> {
            members.forEach(ticker::add);
            return null;
        });
        Waits.await("five sweeps", Duration.ofSeconds(10), () -> {
            try {
                return onLoop(ticker::sweeps) >= 5;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        onLoop(() -> {
            long sweeps = ticker.sweeps();
            for (Counting member : members) {
                assertThat(member.ticks.get()).isEqualTo(sweeps);
            }
            assertThat(ticker.size()).isEqualTo(300);
            assertThat(ticker.timerArmed()).isTrue();
            return null;
        });
    }

    @Test
    void membersAddedAndRemovedFromAnotherThreadAreHandedToTheLoop() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, 5, TimeUnit.MILLISECONDS, "test");
        Counting kept = new Counting();
        Counting removed = new Counting();
        ticker.add(kept); // from the test thread
        ticker.add(removed);
        ticker.add(removed); // twice: still one member
        Waits.await("both ticked", Duration.ofSeconds(10), () -> kept.ticks.get() >= 2 && removed.ticks.get() >= 2);
        assertThat(onLoop(ticker::size)).isEqualTo(2);

        ticker.remove(removed);
        int atRemoval = onLoop(removed.ticks::get); // the removal queued before this ran
        long sweepsAtRemoval = onLoop(ticker::sweeps);
        Waits.await("three more sweeps", Duration.ofSeconds(10), () -> kept.ticks.get() >= 5 && sweepsDone(ticker) >= sweepsAtRemoval + 3);
        assertThat(removed.ticks.get()).isEqualTo(atRemoval);
        assertThat(onLoop(ticker::size)).isEqualTo(1);

        ticker.remove(kept);
        assertThat(onLoop(ticker::size)).isZero();
        assertThat(onLoop(ticker::timerArmed)).as("no timer without members").isFalse();
        int keptAtRemoval = kept.ticks.get();
        Thread.sleep(30);
        assertThat(kept.ticks.get()).isEqualTo(keptAtRemoval);

        ticker.add(kept); // a new timer for a new member
        Waits.await("ticked again", Duration.ofSeconds(10), () -> kept.ticks.get() > keptAtRemoval);
        assertThat(onLoop(ticker::timerArmed)).isTrue();
    }

    private long sweepsDone(LoopTicker ticker) {
        try {
            return onLoop(ticker::sweeps);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aMemberRemovedDuringASweepIsNotTickedAfterItsRemoval() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        List<Counting> members = members(5);
        Counting first = members.get(0);
        Counting self = members.get(2);
        Counting later = members.get(4);
        first.during = () -> ticker.remove(later); // on the loop, mid-sweep, a member not yet ticked
        self.during = () -> ticker.remove(self); // a member removing itself
        onLoop(() -> {
            members.forEach(ticker::add);
            return null;
        });

        sweep(ticker);
        assertThat(later.ticks.get()).isZero();
        assertThat(self.ticks.get()).isEqualTo(1);
        assertThat(onLoop(ticker::size)).isEqualTo(3);

        first.during = null;
        sweep(ticker);
        assertThat(members).extracting(m -> m.ticks.get()).containsExactly(2, 2, 1, 2, 0);
    }

    @Test
    void aMemberStoppedFromAnotherThreadDuringASweepIsNotTickedAfterTheStop() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        Counting blocking = new Counting();
        Counting stopped = new Counting();
        CountDownLatch sweeping = new CountDownLatch(1);
        CountDownLatch stopDone = new CountDownLatch(1);
        blocking.during = () -> {
            sweeping.countDown();
            try {
                assertThat(stopDone.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        onLoop(() -> {
            ticker.add(blocking);
            ticker.add(stopped);
            return null;
        });

        var sweep = loop.submit(ticker::sweep);
        assertThat(sweeping.await(10, TimeUnit.SECONDS)).isTrue();
        // The sweep is under way on the loop; stop the member as a peer leg stops: flag, then hand the removal over.
        stopped.stopped = true;
        ticker.remove(stopped);
        stopDone.countDown();
        sweep.get(10, TimeUnit.SECONDS);

        assertThat(stopped.ticks.get()).as("not ticked after its stop").isZero();
        assertThat(onLoop(ticker::size)).isEqualTo(1);
        blocking.during = null;
        sweep(ticker);
        assertThat(stopped.ticks.get()).isZero();
        assertThat(blocking.ticks.get()).isEqualTo(2);
    }

    @Test
    void aMemberAddedAfterItsStopIsDroppedAtTheNextSweep() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        Counting late = new Counting();
        late.stopped = true; // its removal ran before its addition
        ticker.remove(late);
        ticker.add(late);
        assertThat(onLoop(ticker::size)).isEqualTo(1);
        sweep(ticker);
        assertThat(onLoop(ticker::size)).isZero();
        assertThat(onLoop(ticker::timerArmed)).isFalse();
        assertThat(late.ticks.get()).isZero();
    }

    @Test
    void membersAddedDuringASweepAreTickedFromTheNextOne() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        Counting adder = new Counting();
        List<Counting> added = members(40); // more than the array's first capacity: it grows mid-sweep
        adder.during = () -> added.forEach(ticker::add);
        onLoop(() -> {
            ticker.add(adder);
            return null;
        });
        sweep(ticker);
        assertThat(added).allMatch(m -> m.ticks.get() == 0);
        adder.during = null;
        sweep(ticker);
        assertThat(added).allMatch(m -> m.ticks.get() == 1);
        assertThat(onLoop(ticker::size)).isEqualTo(41);
    }

    @Test
    void aFailingMemberIsDroppedAndTheOthersAreStillTicked() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        Counting before = new Counting();
        Counting after = new Counting();
        AtomicInteger failures = new AtomicInteger();
        LoopTicker.Member failing = () -> {
            failures.incrementAndGet();
            throw new IllegalStateException("broken member (expected by the test)");
        };
        LoopTicker.Member done = () -> false;
        onLoop(() -> {
            ticker.add(before);
            ticker.add(failing);
            ticker.add(done);
            ticker.add(after);
            return null;
        });
        sweep(ticker);
        sweep(ticker);
        assertThat(failures.get()).isEqualTo(1);
        assertThat(before.ticks.get()).isEqualTo(2);
        assertThat(after.ticks.get()).isEqualTo(2);
        assertThat(onLoop(ticker::size)).isEqualTo(2);
    }

    @Test
    void theArrayShrinksAsMembersLeave() throws Exception {
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        List<Counting> members = members(1000);
        onLoop(() -> {
            members.forEach(ticker::add);
            return null;
        });
        for (int i = 1; i < members.size(); i++) {
            members.get(i).stopped = true;
        }
        sweep(ticker);
        assertThat(onLoop(ticker::size)).isEqualTo(1);
        sweep(ticker);
        assertThat(members.get(0).ticks.get()).isEqualTo(2);
        ticker.remove(members.get(0));
        assertThat(onLoop(ticker::timerArmed)).isFalse();
    }

    @Test
    void aSweepAllocatesNothing() throws Exception {
        ThreadAllocation allocation = ThreadAllocation.counterOrSkip();
        LoopTicker ticker = new LoopTicker(loop, NEVER, TimeUnit.MILLISECONDS, "test");
        List<Counting> members = members(500);
        long allocated = onLoop(() -> {
            members.forEach(ticker::add);
            for (int i = 0; i < 2_000; i++) {
                ticker.sweep(); // warm-up: compiled before measuring
            }
            long before = allocation.bytes();
            for (int i = 0; i < 1_000; i++) {
                ticker.sweep();
            }
            return allocation.bytes() - before;
        });
        assertThat(allocated).as("bytes allocated by 1,000 sweeps over 500 members").isZero();
        assertThat(members).allMatch(m -> m.ticks.get() == 3_000);
    }
}
