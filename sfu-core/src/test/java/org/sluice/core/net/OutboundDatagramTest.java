package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundDatagramTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);

    @Test
    void carriesItsContentAndRecipient() {
        ByteBuf content = Unpooled.directBuffer(8).writeInt(42);
        OutboundDatagram datagram = OutboundDatagram.of(content, PEER);
        assertThat(datagram.content()).isSameAs(content);
        assertThat(datagram.recipient()).isEqualTo(PEER);
        assertThat(datagram.sender()).isNull();
        assertThat(datagram.refCnt()).isEqualTo(1);
        assertThat(datagram.toString()).contains("4 B").contains("127.0.0.1");
        assertThat(datagram.release()).isTrue();
    }

    @Test
    void releaseFreesTheContentOnceAndReturnsTheEnvelopeToItsPool() {
        ByteBuf content = Unpooled.directBuffer(8).writeInt(42);
        OutboundDatagram datagram = OutboundDatagram.of(content, PEER);

        assertThat(datagram.release()).isTrue();
        assertThat(content.refCnt()).isZero();
        assertThat(datagram.content()).isNull();
        assertThat(datagram.recipient()).isNull();
        assertThat(datagram.refCnt()).isZero();
        assertThat(datagram.release()).isFalse(); // a second release touches nothing
    }

    @Test
    void steadySendingOnAnEventLoopReusesAFewEnvelopes() throws Exception {
        // Netty pools only on its own (fast-thread-local) threads, as media loops are, and only some
        // of the objects it creates (its ratio): the first few envelopes may be garbage, then
        // release hands the same ones back.
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            int distinct = loop.submit(() -> {
                Set<OutboundDatagram> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int i = 0; i < 1000; i++) {
                    ByteBuf content = Unpooled.directBuffer(4).writeInt(i);
                    OutboundDatagram datagram = OutboundDatagram.of(content, PEER);
                    assertThat(datagram.content()).isSameAs(content);
                    assertThat(datagram.recipient()).isEqualTo(PEER);
                    seen.add(datagram);
                    assertThat(datagram.release()).isTrue();
                    assertThat(content.refCnt()).isZero();
                }
                return seen.size();
            }).get(10, TimeUnit.SECONDS);
            assertThat(distinct).isLessThan(100);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRetainedDatagramStaysOutOfThePoolUntilTheLastRelease() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop(); // where Netty pools
        try {
            loop.submit(() -> {
                ByteBuf content = Unpooled.directBuffer(8).writeInt(42);
                OutboundDatagram datagram = OutboundDatagram.of(content, PEER).retain();
                assertThat(datagram.refCnt()).isEqualTo(2);

                assertThat(datagram.release()).isFalse();
                assertThat(content.refCnt()).isEqualTo(1);
                assertThat(datagram.content()).isSameAs(content);

                for (int i = 0; i < 200; i++) { // other sends meanwhile cycle through the pool
                    ByteBuf other = Unpooled.directBuffer(4).writeInt(i);
                    OutboundDatagram meanwhile = OutboundDatagram.of(other, PEER);
                    assertThat(meanwhile).isNotSameAs(datagram); // still in use: never handed out again
                    assertThat(meanwhile.release()).isTrue();
                }

                assertThat(datagram.release()).isTrue();
                assertThat(content.refCnt()).isZero();
            }).get(10, TimeUnit.SECONDS);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void releaseWithADecrementReleasesThatMany() {
        ByteBuf content = Unpooled.directBuffer(8).writeInt(42);
        OutboundDatagram datagram = OutboundDatagram.of(content, PEER).retain(2).touch().touch("hint");
        assertThat(datagram.refCnt()).isEqualTo(3);
        assertThat(datagram.release(2)).isFalse();
        assertThat(datagram.release(1)).isTrue();
        assertThat(content.refCnt()).isZero();
        assertThat(datagram.release(1)).isFalse();
    }

    @Test
    void isTheDatagramPacketNettysEpollBatchesAndCopiesNothingOfItsOwn() {
        ByteBuf content = Unpooled.directBuffer(8).writeInt(42);
        OutboundDatagram datagram = OutboundDatagram.of(content, PEER);
        // NativeDatagramPacketArray (sendmmsg) takes only DatagramPackets, and reads them through these accessors.
        assertThat(datagram).isInstanceOf(io.netty.channel.socket.DatagramPacket.class);
        io.netty.channel.socket.DatagramPacket asPacket = datagram;
        assertThat(asPacket.content()).isSameAs(content);
        assertThat(asPacket.recipient()).isSameAs(PEER);
        io.netty.channel.socket.DatagramPacket copy = datagram.copy();
        assertThat(copy.content()).isNotSameAs(content).isEqualTo(content);
        assertThat(copy.recipient()).isEqualTo(PEER);
        copy.release();
        assertThat(datagram.release()).isTrue();
    }

    @Test
    void aBatchWrittenOnAnEpollSocketArrivesWholeAndEveryEnvelopeIsReleased() throws Exception {
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("epoll (Linux)").isTrue();
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.epoll.EpollIoHandler.newFactory());
        try (java.nio.channels.DatagramChannel receiver = java.nio.channels.DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            receiver.configureBlocking(true);
            receiver.socket().setSoTimeout(5000);
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            io.netty.channel.Channel sender = new io.netty.bootstrap.Bootstrap().group(group)
                    .channel(io.netty.channel.epoll.EpollDatagramChannel.class)
                    .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int count = 64;
            java.util.List<ByteBuf> contents = new java.util.ArrayList<>();
            sender.eventLoop().submit(() -> {
                for (int i = 0; i < count; i++) {
                    ByteBuf content = sender.alloc().directBuffer(8).writeInt(i).writeInt(~i);
                    contents.add(content);
                    sender.write(OutboundDatagram.of(content, to), sender.voidPromise());
                }
                sender.flush(); // one flush for the batch: one sendmmsg where the kernel has it
            }).get(5, TimeUnit.SECONDS);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(64);
            for (int i = 0; i < count; i++) {
                in.clear();
                java.util.concurrent.Future<java.net.SocketAddress> got = java.util.concurrent.ForkJoinPool.commonPool()
                        .submit(() -> receiver.receive(in));
                assertThat(got.get(5, TimeUnit.SECONDS)).isNotNull();
                in.flip();
                assertThat(in.remaining()).isEqualTo(8);
                assertThat(in.getInt()).isEqualTo(i);
                assertThat(in.getInt()).isEqualTo(~i);
            }
            sender.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertThat(contents).allSatisfy(c -> assertThat(c.refCnt()).isZero());
            sender.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
