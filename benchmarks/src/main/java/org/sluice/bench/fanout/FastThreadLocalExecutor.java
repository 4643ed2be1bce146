package org.sluice.bench.fanout;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker pool with Netty {@code FastThreadLocalThread}s, like the media loops the fan-out runs on in
 * production. Selected with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this class>}; JMH calls the
 * {@code (int, String)} constructor. Without it, Netty 4.2's {@code Recycler} does not pool on JMH's plain
 * threads, and every pooled {@code ByteBuf} costs a new wrapper object (≈100 B per forwarded packet) that
 * the SFU's loops never pay.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {

    public FastThreadLocalExecutor(int threads, String prefix) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
