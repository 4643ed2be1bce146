package org.sluice.loadgen;

import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.util.internal.PlatformDependent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the memory of the in-process server on a daemon thread: after {@code delay}, every {@code period}, at
 * most {@code maxSamples} times. Each sample holds the heap in use after a full collection ({@link System#gc()}),
 * that is the live heap of server and generator together; the direct and heap memory the media allocator holds
 * (its chunks, in use or cached); and the number of sessions the server held at that moment.
 */
final class MemorySampler implements AutoCloseable {

    /**
     * One reading, {@code seconds} after the sampler started; {@code nettyDirect} is all the direct memory Netty
     * allocated (pooled or not), -1 when Netty does not count it.
     */
    record Sample(double seconds, int sessions, long allocatorDirect, long allocatorHeap, long nettyDirect,
                  long heapAfterGc) {
    }

    private final InProcessServer server;
    private final ByteBufAllocatorMetric allocator;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final int maxSamples;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memory-sampler");
        t.setDaemon(true);
        return t;
    });

    private MemorySampler(InProcessServer server, Duration delay, Duration period, int maxSamples) {
        this.server = server;
        this.allocator = server.mediaAllocatorMetric();
        this.maxSamples = maxSamples;
        timer.scheduleAtFixedRate(this::sample, delay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    static MemorySampler start(InProcessServer server, Duration delay, Duration period, int maxSamples) {
        return new MemorySampler(server, delay, period, maxSamples);
    }

    private void sample() {
        synchronized (samples) {
            if (samples.size() >= maxSamples) {
                timer.shutdown(); // cancels this periodic task
                return;
            }
        }
        long heap;
        try {
            heap = liveHeap();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
            return;
        }
        Sample s = new Sample((System.nanoTime() - startNanos) / 1e9, server.liveSessions(),
                allocator.usedDirectMemory(), allocator.usedHeapMemory(), PlatformDependent.usedDirectMemory(), heap);
        synchronized (samples) {
            samples.add(s);
        }
    }

    /**
     * The heap in use right after a full collection, the lower of two readings 100 ms apart: what was only in flight
     * at one collection (a large buffer allocated just then) does not count.
     */
    private long liveHeap() throws InterruptedException {
        System.gc();
        long first = memory.getHeapMemoryUsage().getUsed();
        Thread.sleep(100);
        System.gc();
        return Math.min(first, memory.getHeapMemoryUsage().getUsed());
    }

    /** The samples taken so far, oldest first. */
    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Stops sampling, waiting up to 5 s for a sample in progress. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The samples as a table, sizes in MiB. */
    static String table(List<Sample> samples) {
        StringBuilder out = new StringBuilder(
                "    s  sessions  allocator direct  allocator heap  Netty direct  heap after GC   (MiB)\n");
        for (Sample s : samples) {
            out.append(String.format(Locale.ROOT, "%5.0f  %8d  %16.2f  %14.2f  %12.2f  %13.2f%n", s.seconds(),
                    s.sessions(), mib(s.allocatorDirect()), mib(s.allocatorHeap()), mib(s.nettyDirect()),
                    mib(s.heapAfterGc())));
        }
        return out.toString();
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
