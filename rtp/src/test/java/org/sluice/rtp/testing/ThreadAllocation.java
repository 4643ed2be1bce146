package org.sluice.rtp.testing;

import org.junit.jupiter.api.Assumptions;

import java.lang.management.ManagementFactory;

/**
 * The JVM's per-thread allocation counter, for tests that show a steady state allocates nothing: read
 * {@link #bytes} before and after a loop on the same thread. Where the JVM has no such counter the test is skipped
 * (an assumption), as every allocation test here did on its own before.
 */
public final class ThreadAllocation {

    private final com.sun.management.ThreadMXBean counter;

    private ThreadAllocation(com.sun.management.ThreadMXBean counter) {
        this.counter = counter;
    }

    /** The counter, switched on; skips the calling test where the JVM cannot count allocations per thread. */
    public static ThreadAllocation counterOrSkip() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        return new ThreadAllocation(counter);
    }

    /** Bytes the calling thread has allocated so far. */
    public long bytes() {
        return counter.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
