package org.sluice.core.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the bounded executor that runs DTLS handshakes (Bouncy Castle's DTLS API blocks a thread
 * for the duration of a handshake) and the short post-handshake record tasks.
 */
public final class DtlsExecutors {

    /** Default bound of the task queue of {@link #newHandshakeExecutor(int)}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private DtlsExecutors() {
    }

    /** {@link #newHandshakeExecutor(int, int)} with a queue of {@link #DEFAULT_QUEUE_CAPACITY}. */
    public static ExecutorService newHandshakeExecutor(int threads) {
        return newHandshakeExecutor(threads, DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * A fixed pool of {@code threads} daemon threads named {@code sluice-dtls-N} with a bounded
     * queue; when the queue is full, {@code execute} throws
     * {@link java.util.concurrent.RejectedExecutionException} (the endpoint then fails the
     * handshake instead of waiting). Idle threads exit after 60 s and are recreated on demand.
     */
    public static ExecutorService newHandshakeExecutor(int threads, int queueCapacity) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive");
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), new NamedDaemonThreadFactory("sluice-dtls-"),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static final class NamedDaemonThreadFactory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger(1);

        NamedDaemonThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }
}
