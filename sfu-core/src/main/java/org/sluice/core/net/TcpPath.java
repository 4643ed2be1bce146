package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * One ICE-TCP connection (RFC 6544, passive side). Outbound packets get the RFC 4571 two-byte
 * length prefix. TCP is the fallback path, so a packet is copied once into its framed buffer.
 *
 * <p>Backpressure: what waits in the connection's outbound buffer is bounded by its write-buffer
 * high water mark ({@link MediaNetwork} sets it per connection). While the peer reads too slowly for
 * the connection to be writable, packets for it are dropped and counted
 * ({@link NetworkCounters#tcpBackpressureDrops}), so a stalled receiver holds a bounded amount of
 * memory and never delays anyone else: other paths have their own buffers, and the loop never waits.
 * Sends from another thread than the connection's loop go through a {@link SendHandoff}.
 */
final class TcpPath implements PacketPath {

    private static final int MAX_FRAME = 0xFFFF;

    private final Channel channel;
    private final MediaLoop loop;
    private final Runnable flushTask = this::flush;
    private final SendHandoff handoff;
    private final NetworkCounters counters;
    /** Touched only on the connection's loop. */
    private boolean flushScheduled;

    TcpPath(Channel channel, MediaLoop loop) {
        this.channel = channel;
        this.loop = loop;
        this.counters = loop.counters();
        this.handoff = new SendHandoff(channel.eventLoop(), this::sendOnLoop, counters.handoffDrops);
    }

    @Override
    public MediaLoop loop() {
        return loop;
    }

    @Override
    public boolean isTcp() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void send(ByteBuf packet, InetSocketAddress recipient) {
        if (channel.eventLoop().inEventLoop()) {
            sendOnLoop(packet, recipient);
        } else {
            handoff.offer(packet, recipient);
        }
    }

    private void sendOnLoop(ByteBuf packet, InetSocketAddress recipient) {
        int length = packet.readableBytes();
        if (length > MAX_FRAME || !channel.isActive()) {
            packet.release();
            return;
        }
        if (!channel.isWritable()) {
            packet.release();
            counters.tcpBackpressureDrops.increment();
            return;
        }
        loop.countSent(length);
        ByteBuf framed = channel.alloc().directBuffer(length + 2);
        framed.writeShort(length);
        framed.writeBytes(packet, packet.readerIndex(), length);
        packet.release();
        channel.write(framed, channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    void close() {
        channel.close();
    }

    /** Bytes waiting in the connection's outbound buffer (not yet taken by the kernel); on its loop. */
    long queuedBytes() {
        io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public String toString() {
        return "tcp" + channel.remoteAddress();
    }
}
