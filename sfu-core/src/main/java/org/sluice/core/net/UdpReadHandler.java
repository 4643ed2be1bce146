package org.sluice.core.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each datagram a UDP socket reads to the packet receiver, on the socket's loop. */
@ChannelHandler.Sharable
final class UdpReadHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UdpReadHandler.class);

    private final MediaNetwork network;
    private final PacketReceiver receiver;

    UdpReadHandler(MediaNetwork network, PacketReceiver receiver) {
        this.network = network;
        this.receiver = receiver;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        MediaLoop loop = network.loopOf(ctx.channel().eventLoop());
        network.counters().datagramsIn.increment();
        network.counters().bytesIn.add(datagram.content().readableBytes());
        receiver.onPacket(datagram.content(), datagram.sender(), loop);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        receiver.onReadBatchComplete(network.loopOf(ctx.channel().eventLoop()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP unreachable) must never close the shared port.
        log.debug("udp socket error on {}: {}", ctx.channel(), cause.toString());
    }
}
