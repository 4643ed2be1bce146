package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One media event loop and the UDP socket it reads. Everything mutable on the media path of the
 * transports this loop owns is touched only from its thread. Sends are queued and flushed once per loop iteration
 * (one {@code sendmmsg} for the batch on epoll): in the loop's own {@link SendmmsgBatch} where the C library is
 * reachable ({@link NativeUdp}, Java 22+) and the packet's bytes have a native address, else on the socket through
 * Netty's outbound buffer. What waits in user space is bounded: a full batch, or Netty's queue over the socket's
 * write-buffer high mark, is flushed at once, and if the kernel's send buffer is full the packet is dropped and
 * counted ({@link NetworkCounters#udpBackpressureDrops}). A send from another
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
    /** The loop's own batch for {@link #udp}, or null when sends go through Netty. */
    private SendmmsgBatch batch;
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
        attachUdp(channel, null);
    }

    /** Sends through {@code channel}, batching in {@code ownBatch} (for that channel's socket) where it is not null. */
    void attachUdp(Channel channel, SendmmsgBatch ownBatch) {
        this.udp = channel;
        this.batch = ownBatch;
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
        SendmmsgBatch own = batch;
        if (own != null) {
            if (SendmmsgBatch.fits(packet)) {
                if (own.isFull()) {
                    flushBatch(); // a fan-out larger than the batch: this part goes now
                }
                int length = packet.readableBytes();
                if (own.add(packet, recipient)) {
                    countSent(length);
                    scheduleFlush();
                } else {
                    packet.release();
                    counters.udpSendErrors.increment(); // an address this socket cannot send to
                }
                return;
            }
            flushBatch(); // a packet without a native address goes through Netty, after what was queued before it
        }
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
        flushBatch();
        udp.flush();
    }

    /** Hands the loop's own batch to the kernel; dropped and counted if the socket has closed meanwhile. */
    private void flushBatch() {
        SendmmsgBatch own = batch;
        if (own == null || own.isEmpty()) {
            return;
        }
        if (udp.isOpen()) { // checked on the loop that would close it: the descriptor is still this socket's
            own.flush(counters);
        } else {
            counters.udpSendErrors.add(own.discard());
        }
    }

    @Override
    public String toString() {
        return "media-loop-" + index;
    }
}
