package org.sluice.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transport whose path is another loop's socket (a NAT rebinding put its peer's address on that socket) sends
 * from its own loop: the packets reach the peer in order, are written by the socket's loop, and the sending loop
 * allocates nothing per packet for the hand-off.
 */
class ForeignLoopSendTest {

    private static final int WARM_UP = 30;

    private EventLoopGroup group;
    private EventLoop socketLoop;
    private EventLoop otherLoop;
    private Channel udp;
    private MediaLoop path;
    private DatagramChannel peer;

    @BeforeEach
    void open() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll (Linux)").isTrue();
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        Iterator<?> loops = group.iterator();
        socketLoop = (EventLoop) loops.next();
        otherLoop = (EventLoop) loops.next();
        udp = new Bootstrap().group(socketLoop).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync()
                .channel();
        path = new MediaLoop(0, socketLoop);
        path.attachUdp(udp);
        peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        peer.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
    }

    @AfterEach
    void close() throws Exception {
        peer.close();
        udp.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Sends {@code count} 8-byte packets numbered from {@code first} from the other loop; bytes it allocated. */
    private long sendFromTheOtherLoop(int first, int count, InetSocketAddress to) throws Exception {
        return otherLoop.submit(() -> {
            com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            bean.setThreadAllocatedMemoryEnabled(true);
            ByteBuf[] packets = new ByteBuf[count];
            for (int i = 0; i < count; i++) {
                packets[i] = udp.alloc().directBuffer(8).writeInt(first + i).writeInt(~(first + i));
            }
            long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (ByteBuf packet : packets) {
                path.send(packet, to);
            }
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsFromAnotherLoopArriveInOrderWithoutAllocatingPerPacket() throws Exception {
        InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
        int batch = 1000;
        for (int round = 0; round < WARM_UP; round++) { // the JIT; the envelope pool fills (Netty pools one in 8 new objects)
            sendFromTheOtherLoop(round * batch, batch, to);
            receive(round * batch, batch);
        }
        long allocated = sendFromTheOtherLoop(WARM_UP * batch, batch, to);
        receive(WARM_UP * batch, batch);
        assertThat(allocated / batch).as("bytes the sending loop allocated per packet").isLessThan(8);
        assertThat(path.counters().handoffDrops.sum()).isZero();
        assertThat(path.counters().packetsOut.sum()).isEqualTo((WARM_UP + 1L) * batch);
    }

    private void receive(int first, int count) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(64);
        peer.configureBlocking(true);
        peer.socket().setSoTimeout(5000);
        for (int i = first; i < first + count; i++) {
            in.clear();
            peer.socket().receive(new java.net.DatagramPacket(in.array(), in.capacity()));
            assertThat(in.getInt(0)).as("packet %d in order", i).isEqualTo(i);
            assertThat(in.getInt(4)).isEqualTo(~i);
        }
    }
}
