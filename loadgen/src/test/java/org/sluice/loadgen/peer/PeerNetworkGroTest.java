package org.sluice.loadgen.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers' sockets read a segmented run (UDP GSO on the sending side) whole with UDP GRO and hand on its
 * datagrams one by one, each with its own length and bytes, in order; with GRO off they arrive one by one.
 * Real sockets on loopback.
 */
class PeerNetworkGroTest {

    private static final int SEGMENT = 1400;
    private static final int FULL_SEGMENTS = 40; // 56,000 bytes: more than the reads without GRO could hold
    private static final int LAST = 300;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSegmentedRunArrivesAsItsDatagramsInOrderWithGro() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll (Linux)").isTrue();
        try (PeerNetwork network = new PeerNetwork(new PeerNetwork.Options(1, 1, true))) {
            assertThat(network.usesUdpGro()).as("the kernel takes UDP_GRO (Linux 5.0+)").isTrue();
            assertThat(receiveRun(network)).containsExactlyElementsOf(expectedDatagrams());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void withoutGroTheKernelCutsTheRunAndTheDatagramsArriveTheSame() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll (Linux)").isTrue();
        try (PeerNetwork network = new PeerNetwork(new PeerNetwork.Options(1, 1, false))) {
            assertThat(network.usesUdpGro()).isFalse();
            assertThat(receiveRun(network)).containsExactlyElementsOf(expectedDatagrams());
        }
    }

    /** Sends one segmented message to a socket of {@code network}; returns the datagrams it read, as hex. */
    private static List<String> receiveRun(PeerNetwork network) throws Exception {
        int count = FULL_SEGMENTS + 1;
        List<String> received = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        Channel receiver = network.bind(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                synchronized (received) {
                    received.add(ByteBufUtil.hexDump(packet.content()));
                }
                all.countDown();
            }
        });
        Channel sender = new Bootstrap().group(network.group()).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            assertThat(SegmentedDatagramPacket.isSupported()).as("UDP_SEGMENT (Linux 4.18)").isTrue();
            ByteBuf run = Unpooled.buffer();
            for (int i = 0; i < count; i++) {
                run.writeBytes(datagram(i));
            }
            sender.writeAndFlush(new SegmentedDatagramPacket(run, SEGMENT,
                    (InetSocketAddress) receiver.localAddress())).sync();
            assertThat(all.await(10, TimeUnit.SECONDS)).as("every datagram of the run arrived").isTrue();
            synchronized (received) {
                return List.copyOf(received);
            }
        } finally {
            sender.close().sync();
            receiver.close().sync();
        }
    }

    private static List<String> expectedDatagrams() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= FULL_SEGMENTS; i++) {
            expected.add(ByteBufUtil.hexDump(datagram(i)));
        }
        return expected;
    }

    /** Datagram {@code i} of the run: full segments, then a shorter last one, each byte telling its place. */
    private static byte[] datagram(int i) {
        byte[] bytes = new byte[i == FULL_SEGMENTS ? LAST : SEGMENT];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) (i * 31 + b);
        }
        return bytes;
    }
}
