package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * Pipeline of one passive ICE-TCP connection: RFC 4571 framing (two-byte length), then the same
 * demultiplexing as UDP. A connection silent for 30 s is closed.
 */
final class IceTcpInitializer extends ChannelInitializer<SocketChannel> {

    private final MediaNetwork network;
    private final PacketReceiver receiver;

    IceTcpInitializer(MediaNetwork network, PacketReceiver receiver) {
        this.network = network;
        this.receiver = receiver;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        TcpPath path = new TcpPath(ch, network.loopOf(ch.eventLoop()));
        ch.pipeline()
                .addLast(new IdleStateHandler(30, 0, 0))
                .addLast(new LengthFieldBasedFrameDecoder(0xFFFF + 2, 0, 2, 0, 2))
                .addLast(new FrameHandler(path));
    }

    private final class FrameHandler extends ChannelInboundHandlerAdapter {
        private final TcpPath path;
        private InetSocketAddress remote;

        FrameHandler(TcpPath path) {
            this.path = path;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf frame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            network.counters().tcpFramesIn.increment();
            network.counters().bytesIn.add(frame.readableBytes());
            receiver.onPacket(frame, remote, path);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            receiver.onReadBatchComplete(path.loop());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Oversized frame or connection reset: this connection ends, nothing else does.
            network.counters().tcpConnectionsRejected.increment();
            ctx.close();
        }
    }
}
