package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends handed to a path's own loop from another thread: a transport whose selected path belongs to another
 * loop (a NAT rebinding landed its address on another loop's socket, an ICE-TCP connection accepted on another
 * child loop, the single NIO socket). A bounded multi-producer/single-consumer queue of recycled
 * {@link OutboundDatagram} envelopes, drained by one pre-allocated task per batch on the path's loop, so such a
 * send allocates nothing (where Netty's own cross-thread write would allocate a task per packet) and the path's
 * state is touched only by its loop. A full queue drops the packet and counts it.
 */
final class SendHandoff {

    /** Where the drained packets go, on the path's loop. */
    interface Target {
        void sendOnLoop(ByteBuf packet, InetSocketAddress recipient);
    }

    static final int CAPACITY = 4096;

    private final EventLoop loop;
    private final Target target;
    private final LongAdder drops;
    private final Queue<OutboundDatagram> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    SendHandoff(EventLoop loop, Target target, LongAdder drops) {
        this.loop = loop;
        this.target = target;
        this.drops = drops;
    }

    /** Queues a packet for the path's loop; takes ownership. Any thread. */
    void offer(ByteBuf packet, InetSocketAddress recipient) {
        OutboundDatagram entry = OutboundDatagram.of(packet, recipient);
        if (!queue.offer(entry)) {
            entry.release();
            drops.increment();
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException stopped) {
                scheduled.set(false);
                releaseAll(); // the loop is gone with its socket
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        OutboundDatagram entry;
        while ((entry = queue.poll()) != null) {
            InetSocketAddress recipient = entry.recipient();
            target.sendOnLoop(entry.takeContent(), recipient);
        }
    }

    private void releaseAll() {
        OutboundDatagram entry;
        while ((entry = queue.poll()) != null) {
            entry.release();
            drops.increment();
        }
    }
}
