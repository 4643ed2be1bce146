package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A UDP socket of its own for one transport that we open toward a peer (a relay to another node, where we are the
 * controlling ICE agent), on a free port and on one media loop: everything it reads is handed to its receiver on that
 * loop, and what the transport sends goes out through it, batched like the shared socket's sends (one flush per loop
 * iteration) and dropped and counted when the socket's queue is full. It is the transport's {@link PacketPath}.
 */
public final class DialSocket implements PacketPath, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DialSocket.class);

    private final MediaLoop loop;
    private final Channel channel;
    private final Runnable flushTask = this::flush;
    private boolean flushScheduled;

    DialSocket(MediaLoop loop, Channel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    @Override
    public MediaLoop loop() {
        return loop;
    }

    @Override
    public boolean isTcp() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Queues {@code packet} to {@code recipient}; takes ownership. On the loop (handed to it from elsewhere). */
    @Override
    public void send(ByteBuf packet, InetSocketAddress recipient) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(packet, recipient));
            return;
        }
        if (!channel.isActive()) {
            packet.release();
            return;
        }
        if (!channel.isWritable()) {
            flush();
            if (!channel.isWritable()) {
                packet.release();
                loop.counters().udpBackpressureDrops.increment();
                return;
            }
        }
        loop.countSent(packet.readableBytes());
        channel.write(OutboundDatagram.of(packet, recipient), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    /** Sends what is queued (a DTLS close_notify, say), then closes the socket; any thread. */
    @Override
    public void close() {
        channel.eventLoop().execute(() -> {
            flush();
            channel.close();
        });
    }

    /** Reads of a dial socket, on its loop; the receiver owns each packet. */
    static final class Reader extends ChannelInboundHandlerAdapter {

        private final NetworkCounters counters;
        private volatile PacketReceiver receiver;
        private volatile DialSocket socket;

        Reader(NetworkCounters counters) {
            this.counters = counters;
        }

        void deliverTo(DialSocket socket, PacketReceiver receiver) {
            this.socket = socket;
            this.receiver = receiver;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DialSocket s = socket;
            PacketReceiver r = receiver;
            if (!(msg instanceof DatagramPacket datagram) || s == null || r == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            counters.datagramsIn.increment();
            counters.bytesIn.add(datagram.content().readableBytes());
            r.onPacket(datagram.content(), datagram.sender(), s);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            DialSocket s = socket;
            PacketReceiver r = receiver;
            if (s != null && r != null) {
                r.onReadBatchComplete(s.loop);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("dial socket error on {}: {}", ctx.channel(), cause.toString());
        }
    }

    /** Waits up to {@code millis} for the socket to close. */
    public void awaitClosed(long millis) {
        channel.closeFuture().awaitUninterruptibly(millis, TimeUnit.MILLISECONDS);
    }
}
