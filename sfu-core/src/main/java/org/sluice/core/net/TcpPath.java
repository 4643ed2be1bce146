package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * One ICE-TCP connection (RFC 6544, passive side). Outbound packets get the RFC 4571 two-byte
 * length prefix. TCP is the fallback path, so a packet is copied once into its framed buffer.
 */
final class TcpPath implements PacketPath {

    private static final int MAX_FRAME = 0xFFFF;

    private final Channel channel;
    private final MediaLoop loop;
    private final Runnable flushTask = this::flush;
    private boolean flushScheduled;

    TcpPath(Channel channel, MediaLoop loop) {
        this.channel = channel;
        this.loop = loop;
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
        int length = packet.readableBytes();
        if (length > MAX_FRAME || !channel.isActive()) {
            packet.release();
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

    @Override
    public String toString() {
        return "tcp" + channel.remoteAddress();
    }
}
