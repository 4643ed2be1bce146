package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One media event loop and the UDP socket it reads. Everything mutable on the media path of the
 * transports this loop owns is touched only from its thread. Sends are queued on the socket and
 * flushed once per loop iteration (one {@code sendmmsg} for the batch on epoll). What waits in user space is bounded:
 * over the socket's write-buffer high mark the queue is flushed at once, and if the kernel's send buffer is full
 * the packet is dropped and counted ({@link NetworkCounters#udpBackpressureDrops}). A send from another
 * thread (a transport owned by another loop whose peer's address landed on this socket) is handed to
 * the socket's loop through a {@link SendHandoff}. Periodic work of what lives on the loop runs from its two
 * {@link LoopTicker}s, one timer each however many transports there are.
 */
public final class MediaLoop implements PacketPath {

    /** The period of {@link #ticker()}. */
    public static final long TICK_MILLIS = 20;

    private final int index;
    private final EventLoop eventLoop;
    private final NetworkCounters counters;
    private final LoopTicker ticker;
    private final LoopTicker secondTicker;
    private final Runnable flushTask = this::flush;
    private Channel udp;
    private SendHandoff handoff;
    /** Touched only on the UDP socket's loop. */
    private boolean flushScheduled;

    /**
     * A media loop over {@code eventLoop}. {@link MediaNetwork} makes these; benchmarks and tests
     * make their own to drive the forwarding path without sockets.
     */
    public MediaLoop(int index, EventLoop eventLoop) {
        this(index, eventLoop, new NetworkCounters());
    }

    /** A media loop that counts what it sends in {@code counters}. */
    public MediaLoop(int index, EventLoop eventLoop, NetworkCounters counters) {
        this.index = index;
        this.eventLoop = eventLoop;
        this.counters = counters;
        this.ticker = new LoopTicker(eventLoop, TICK_MILLIS, TimeUnit.MILLISECONDS, "media-loop-" + index + " ticker");
        this.secondTicker = new LoopTicker(eventLoop, 1, TimeUnit.SECONDS, "media-loop-" + index + " second ticker");
    }

    /** Counts one packet of {@code length} bytes handed to a socket of this loop (UDP or ICE-TCP). */
    void countSent(int length) {
        counters.packetsOut.increment();
        counters.bytesOut.add(length);
    }

    NetworkCounters counters() {
        return counters;
    }

    void attachUdp(Channel channel) {
        this.udp = channel;
        this.handoff = new SendHandoff(channel.eventLoop(), this::sendOnLoop, counters.handoffDrops);
    }

    /** Position of this loop among the server's loops, for per-loop arrays. */
    public int index() {
        return index;
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    /** Ticks its members every {@link #TICK_MILLIS} ms (the peer legs' RTCP, allocation and feedback timer). */
    public LoopTicker ticker() {
        return ticker;
    }

    /** Ticks its members once a second (the transports' liveness check). */
    public LoopTicker secondTicker() {
        return secondTicker;
    }

    public boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    public ByteBufAllocator alloc() {
        return udp.alloc();
    }

    @Override
    public MediaLoop loop() {
        return this;
    }

    @Override
    public boolean isTcp() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return udp.isActive();
    }

    @Override
    public void send(ByteBuf packet, InetSocketAddress recipient) {
        if (udp.eventLoop().inEventLoop()) {
            sendOnLoop(packet, recipient);
        } else {
            handoff.offer(packet, recipient);
        }
    }

    private void sendOnLoop(ByteBuf packet, InetSocketAddress recipient) {
        if (!udp.isWritable()) {
            // Over the high water mark: first hand what this iteration queued to the kernel (a large burst is
            // written in one go), and drop only if the kernel's send buffer cannot take it either.
            flush();
            if (!udp.isWritable()) {
                packet.release();
                counters.udpBackpressureDrops.increment();
                return;
            }
        }
        countSent(packet.readableBytes());
        udp.write(OutboundDatagram.of(packet, recipient), udp.voidPromise());
        scheduleFlush();
    }

    /** Arranges a flush after the work already queued on the socket's loop (coalesces a whole batch); on it. */
    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            udp.eventLoop().execute(flushTask);
        }
    }

    /** Flushes what was queued on the UDP socket; on its loop. */
    public void flush() {
        flushScheduled = false;
        udp.flush();
    }

    @Override
    public String toString() {
        return "media-loop-" + index;
    }
}
