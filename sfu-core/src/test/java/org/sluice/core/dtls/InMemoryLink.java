package org.sluice.core.dtls;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One direction of an in-memory network: datagrams handed to {@link #send} are copied and
 * delivered to the target (an endpoint's {@code receive}) on this link's own thread (the target's
 * "event loop"), optionally dropped by a rule.
 */
final class InMemoryLink implements DtlsEndpoint.DatagramSender, AutoCloseable {

    /** Decides per datagram (numbered from 0 in send order) whether the network loses it. */
    @FunctionalInterface
    interface DropRule {
        boolean drop(int index, byte[] datagram);
    }

    private final ExecutorService loop;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<byte[]> history = new CopyOnWriteArrayList<>();
    private volatile Consumer<ByteBuf> target;
    private volatile DropRule dropRule = (index, datagram) -> false;

    InMemoryLink(String name) {
        this.loop = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "link-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    void connectTo(DtlsEndpoint endpoint) {
        this.target = endpoint::receive;
    }

    void connectTo(Consumer<ByteBuf> receiver) {
        this.target = receiver;
    }

    void dropRule(DropRule rule) {
        this.dropRule = rule;
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
        history.add(copy);
        int index = sent.getAndIncrement();
        if (dropRule.drop(index, copy)) {
            dropped.incrementAndGet();
            return;
        }
        deliver(copy);
    }

    /** Delivers raw bytes as if they came from the network (for garbage injection). */
    void inject(byte[] raw) {
        deliver(raw.clone());
    }

    private void deliver(byte[] copy) {
        try {
            loop.execute(() -> {
                Consumer<ByteBuf> endpoint = target;
                if (endpoint == null) {
                    return;
                }
                ByteBuf buf = Unpooled.buffer(copy.length);
                try {
                    buf.writeBytes(copy);
                    endpoint.accept(buf);
                } finally {
                    buf.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // link shut down
        }
    }

    /** Every datagram sent so far, in order (including dropped ones). */
    List<byte[]> history() {
        return history;
    }

    int sent() {
        return sent.get();
    }

    int dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
