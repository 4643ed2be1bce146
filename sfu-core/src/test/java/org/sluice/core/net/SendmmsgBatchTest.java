package org.sluice.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A media loop's own {@code sendmmsg} batch ({@link SendmmsgBatch}, through {@link NativeUdp}) against real sockets
 * on loopback: every datagram reaches its own receiver whole, from the loop's socket, on IPv4 and dual-stack
 * sockets; what the kernel refuses alone is skipped and counted while the rest goes out; what is queued when the
 * socket closes is released and counted; every packet is released after its flush; and a fan-out allocates
 * nothing per packet. On Java 17-21 there is no FFM API: the choice is Netty's transport, and says why, and the
 * socket cases are skipped; CI's Java 25 pass runs this class.
 */
class SendmmsgBatchTest {

    private static final int RECEIVERS = 3;
    /** An IPv4 socket and a dual-stack one. */
    private static final SocketProtocolFamily[] FAMILIES = {SocketProtocolFamily.INET, SocketProtocolFamily.INET6};

    private EventLoopGroup group;
    private EventLoop loop;
    private final List<DatagramChannel> receivers = new ArrayList<>();
    private final List<Channel> sockets = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll (Linux)").isTrue();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
        for (int i = 0; i < RECEIVERS; i++) {
            DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            receiver.socket().setSoTimeout(5000);
            receivers.add(receiver);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (DatagramChannel receiver : receivers) {
            receiver.close();
        }
        for (Channel socket : sockets) {
            socket.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static boolean ffm() {
        return Runtime.version().feature() >= 22;
    }

    @Test
    void withoutTheFfmApiSendsGoThroughNettyAndTheChoiceSaysWhy() {
        NativeUdp.Choice choice = NativeUdp.choose("auto");
        if (ffm()) {
            assertThat(choice.udp()).as(choice.description()).isNotNull();
            assertThat(choice.description()).contains("sendmmsg");
        } else {
            assertThat(choice.udp()).isNull();
            assertThat(choice.description()).contains("Netty").contains("FFM");
        }
        assertThat(NativeUdp.choose("netty").udp()).isNull();
        assertThat(NativeUdp.choose("netty").description()).contains("-D" + NativeUdp.PROPERTY + "=netty");
    }

    @Test
    void everyDatagramReachesItsReceiverWholeFromAnIpv4AndADualStackSocket() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        for (SocketProtocolFamily family : FAMILIES) {
            Channel socket = bind(family);
            SendmmsgBatch batch = batchFor(socket, 8);
            NetworkCounters counters = new NetworkCounters();
            List<ByteBuf> packets = new ArrayList<>();
            int taken = onLoop(() -> {
                for (int i = 0; i < 7; i++) { // two rounds over the receivers, and one more
                    ByteBuf packet = socket.alloc().directBuffer(64).writeZero(3).writeInt(i).writeLong(~(long) i);
                    packet.readerIndex(3); // the datagram is what is readable, not the whole buffer
                    packets.add(packet);
                    assertThat(batch.add(packet, receiverAddress(i % RECEIVERS))).isTrue();
                }
                return batch.flush(counters);
            });
            assertThat(taken).isEqualTo(7);
            assertThat(packets).allSatisfy(p -> assertThat(p.refCnt()).as("released after the flush").isZero());
            int port = ((InetSocketAddress) socket.localAddress()).getPort();
            for (int i = 0; i < 7; i++) {
                DatagramPacket in = receive(i % RECEIVERS);
                assertThat(in.getLength()).as("%s datagram %d: the readable bytes only", family, i).isEqualTo(12);
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(in.getData(), 0, in.getLength());
                assertThat(bytes.getInt(0)).isEqualTo(i);
                assertThat(bytes.getLong(4)).isEqualTo(~(long) i);
                assertThat(in.getPort()).as("from the loop's socket").isEqualTo(port);
            }
            assertThat(counters.udpSendErrors.sum() + counters.udpBackpressureDrops.sum()).isZero();
        }
    }

    @Test
    void aDatagramTheKernelRefusesAloneIsSkippedAndCountedAndTheRestGoesOut() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET6);
        SendmmsgBatch batch = batchFor(socket, 8);
        NetworkCounters counters = new NetworkCounters();
        int taken = onLoop(() -> {
            batch.add(numbered(socket, 1), receiverAddress(0));
            batch.add(numbered(socket, 2), new InetSocketAddress("127.0.0.1", 0)); // port 0: EINVAL
            batch.add(numbered(socket, 3), receiverAddress(1));
            return batch.flush(counters);
        });
        assertThat(taken).isEqualTo(2);
        assertThat(counters.udpSendErrors.sum()).isEqualTo(1);
        assertThat(java.nio.ByteBuffer.wrap(receive(0).getData()).getInt(0)).isEqualTo(1);
        assertThat(java.nio.ByteBuffer.wrap(receive(1).getData()).getInt(0)).isEqualTo(3);
    }

    @Test
    void anIpv6RecipientOnAnIpv4SocketIsRefusedAtOnceAndTheBatchKeepsItsOrder() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET);
        SendmmsgBatch batch = batchFor(socket, 2);
        ByteBuf packet = numbered(socket, 1);
        boolean added = onLoop(() -> batch.add(packet, new InetSocketAddress("::1", 9)));
        assertThat(added).isFalse();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(packet.refCnt()).as("still the caller's").isEqualTo(1);
        packet.release();
    }

    @Test
    void theMediaLoopSendsThroughItsBatchAndDropsWhatIsQueuedWhenTheSocketCloses() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET6);
        MediaLoop media = new MediaLoop(0, loop);
        media.attachUdp(socket, batchFor(socket, 4));
        List<ByteBuf> packets = new ArrayList<>();
        onLoop(() -> {
            for (int i = 0; i < 10; i++) { // more than a batch: the full batch goes out when the fifth comes
                ByteBuf packet = numbered(socket, i);
                packets.add(packet);
                media.send(packet, receiverAddress(0));
            }
            return null;
        });
        for (int i = 0; i < 10; i++) {
            assertThat(java.nio.ByteBuffer.wrap(receive(0).getData()).getInt(0)).as("in order").isEqualTo(i);
        }
        assertThat(media.counters().packetsOut.sum()).isEqualTo(10);
        ByteBuf late = numbered(socket, 99);
        onLoop(() -> {
            media.send(late, receiverAddress(0));
            socket.close(); // on the loop, before the flush the send scheduled
            return null;
        });
        onLoop(() -> null); // the scheduled flush has run
        assertThat(late.refCnt()).isZero();
        assertThat(packets).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        assertThat(media.counters().udpSendErrors.sum()).isEqualTo(1);
    }

    @Test
    void aFanOutAllocatesNothingPerPacket() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET6);
        SendmmsgBatch batch = batchFor(socket, SendmmsgBatch.DEFAULT_CAPACITY);
        NetworkCounters counters = new NetworkCounters();
        int perRound = 200;
        long allocated = 0;
        ByteBufAllocator untracked = new UnpooledByteBufAllocator(true, true);
        assertThat(SendmmsgBatch.fits(untracked.directBuffer(1))).as("a direct buffer with an address").isTrue();
        for (int round = 0; round < 60; round++) { // the JIT first
            allocated = onLoop(() -> {
                com.sun.management.ThreadMXBean bean =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                ByteBuf[] packets = new ByteBuf[perRound];
                for (int i = 0; i < perRound; i++) { // untracked: leak detection records each release
                    packets[i] = untracked.directBuffer(8).writeInt(i).writeInt(~i);
                }
                InetSocketAddress[] to = {receiverAddress(0), receiverAddress(1), receiverAddress(2)};
                long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < perRound; i++) {
                    batch.add(packets[i], to[i % RECEIVERS]);
                }
                batch.flush(counters);
                return bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            });
            for (DatagramChannel receiver : receivers) { // keep the receive queues from filling
                receiver.configureBlocking(false);
                java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(64);
                while (receiver.receive(sink.clear()) != null) {
                    // drained
                }
                receiver.configureBlocking(true);
            }
        }
        assertThat(allocated / perRound).as("bytes allocated per packet added and flushed").isLessThan(4);
        assertThat(counters.udpSendErrors.sum()).isZero();
    }

    @Test
    void anIpv6PeerGetsItsDatagramsFromADualStackSocketAndCostsNoAllocationPerPacket() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        DatagramChannel six = DatagramChannel.open(StandardProtocolFamily.INET6)
                .bind(new InetSocketAddress("::1", 0));
        six.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        six.configureBlocking(false);
        receivers.add(six);
        InetSocketAddress to = (InetSocketAddress) six.getLocalAddress();
        Channel socket = bind(SocketProtocolFamily.INET6);
        SendmmsgBatch batch = batchFor(socket, SendmmsgBatch.DEFAULT_CAPACITY);
        NetworkCounters counters = new NetworkCounters();
        ByteBufAllocator untracked = new UnpooledByteBufAllocator(true, true);
        int perRound = 100;
        long allocated = 0;
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(64);
        for (int round = 0; round < 60; round++) { // the JIT first
            allocated = onLoop(() -> {
                com.sun.management.ThreadMXBean bean =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                ByteBuf[] packets = new ByteBuf[perRound];
                for (int i = 0; i < perRound; i++) {
                    packets[i] = untracked.directBuffer(8).writeInt(i).writeInt(~i);
                }
                long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < perRound; i++) {
                    batch.add(packets[i], to);
                }
                batch.flush(counters);
                return bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            });
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received < perRound && System.nanoTime() < deadline) {
                if (six.receive(in.clear()) == null) {
                    Thread.sleep(1);
                    continue;
                }
                assertThat(in.position()).isEqualTo(8);
                assertThat(in.getInt(0)).as("round %d, datagram %d, in order", round, received).isEqualTo(received);
                assertThat(in.getInt(4)).isEqualTo(~received);
                received++;
            }
            assertThat(received).as("round %d: every datagram reached ::1", round).isEqualTo(perRound);
        }
        assertThat(allocated / perRound).as("bytes allocated per packet to an IPv6 peer").isLessThan(4);
        assertThat(counters.udpSendErrors.sum() + counters.udpBackpressureDrops.sum()).isZero();
    }

    @Test
    void consecutiveDatagramsToOneRecipientGoAsOneSegmentedMessageAndArriveAsTheyWereQueued() throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        for (SocketProtocolFamily family : FAMILIES) {
            Channel socket = bind(family);
            SendmmsgBatch batch = batchFor(socket, 32);
            NetworkCounters counters = new NetworkCounters();
            InetSocketAddress zero = receiverAddress(0);
            InetSocketAddress one = receiverAddress(1);
            // messages: five of 40 bytes and a shorter last one; two more to the same receiver (the shorter one
            // ended the run); one of 40 to another receiver; a larger one there (a new run); one back to the first
            InetSocketAddress[] to = {zero, zero, zero, zero, zero, zero, zero, zero, one, one, zero};
            int[] sizes = {40, 40, 40, 40, 40, 24, 40, 40, 40, 48, 40};
            int taken = onLoop(() -> {
                for (int i = 0; i < sizes.length; i++) {
                    assertThat(batch.add(sized(socket, i, sizes[i]), to[i])).isTrue();
                }
                return batch.flush(counters);
            });
            assertThat(taken).isEqualTo(sizes.length);
            assertThat(counters.udpMessagesOut.sum()).as("%s: messages handed to the kernel", family).isEqualTo(5);
            for (int i = 0; i < sizes.length; i++) {
                DatagramPacket in = receive(to[i] == zero ? 0 : 1);
                assertThat(in.getLength()).as("%s datagram %d keeps its own length", family, i).isEqualTo(sizes[i]);
                assertThat(java.nio.ByteBuffer.wrap(in.getData()).getInt(0)).as("in order").isEqualTo(i);
            }
            assertThat(counters.udpSendErrors.sum() + counters.udpBackpressureDrops.sum()
                    + counters.udpSegmentationRefusals.sum()).isZero();
        }
    }

    @Test
    void aRunLongerThanTheKernelTakesInOneMessageIsSplitAndWithoutSegmentationEveryDatagramIsItsOwnMessage()
            throws Exception {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET6);
        InetSocketAddress zero = receiverAddress(0);
        int datagrams = 2 * SendmmsgBatch.MAX_SEGMENTS + 2;
        for (boolean segmentation : new boolean[] {true, false}) {
            SendmmsgBatch batch = batchFor(socket, SendmmsgBatch.DEFAULT_CAPACITY, segmentation);
            NetworkCounters counters = new NetworkCounters();
            int taken = onLoop(() -> {
                for (int i = 0; i < datagrams; i++) {
                    batch.add(sized(socket, i, 16), zero);
                }
                return batch.flush(counters);
            });
            assertThat(taken).isEqualTo(datagrams);
            assertThat(counters.udpMessagesOut.sum()).as("segmentation " + segmentation)
                    .isEqualTo(segmentation ? 3 : datagrams);
            for (int i = 0; i < datagrams; i++) {
                DatagramPacket in = receive(0);
                assertThat(in.getLength()).isEqualTo(16);
                assertThat(java.nio.ByteBuffer.wrap(in.getData()).getInt(0)).as("in order").isEqualTo(i);
            }
        }
    }

    @Test
    void aSegmentedMessageTheKernelRefusesGoesAgainDatagramByDatagramAndTheBatchStopsSegmenting() throws Throwable {
        assumeTrue(ffm(), "the FFM API: Java 22+ (CI's Java 25 pass runs this class)");
        Channel socket = bind(SocketProtocolFamily.INET);
        // without UDP checksums the kernel sends datagrams but refuses segmented messages (EINVAL)
        noChecksums(((EpollDatagramChannel) socket).fd().intValue());
        SendmmsgBatch batch = batchFor(socket, 16);
        NetworkCounters counters = new NetworkCounters();
        InetSocketAddress zero = receiverAddress(0);
        int first = onLoop(() -> {
            for (int i = 0; i < 4; i++) {
                batch.add(sized(socket, i, 32), zero);
            }
            return batch.flush(counters);
        });
        assertThat(first).isEqualTo(4);
        assertThat(batch.segmentation()).isFalse();
        assertThat(counters.udpSegmentationRefusals.sum()).isEqualTo(1);
        int second = onLoop(() -> {
            for (int i = 4; i < 7; i++) {
                batch.add(sized(socket, i, 32), zero);
            }
            return batch.flush(counters);
        });
        assertThat(second).isEqualTo(3);
        assertThat(counters.udpMessagesOut.sum()).as("4 one by one, then 3 unsegmented").isEqualTo(7);
        for (int i = 0; i < 7; i++) {
            DatagramPacket in = receive(0);
            assertThat(in.getLength()).isEqualTo(32);
            assertThat(java.nio.ByteBuffer.wrap(in.getData()).getInt(0)).as("in order").isEqualTo(i);
        }
        assertThat(counters.udpSendErrors.sum() + counters.udpBackpressureDrops.sum()).isZero();
    }

    /** {@code setsockopt(SO_NO_CHECK, 1)}: the kernel sends IPv4 UDP without checksums. */
    private static void noChecksums(int fd) throws Throwable {
        org.sluice.rtp.ffm.ForeignCalls ffm = org.sluice.rtp.ffm.ForeignCalls.load().calls();
        java.lang.invoke.MethodHandle setsockopt = ffm.libc("setsockopt", false, int.class, int.class, int.class,
                int.class, long.class, int.class);
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
        one.putInt(0, 1);
        int result = (int) setsockopt.invokeExact(fd, 1, 11, ffm.address(one), 4); // SOL_SOCKET, SO_NO_CHECK
        assertThat(result).as("SO_NO_CHECK").isZero();
    }

    @Test
    void anIpv4AddressIsReadWithoutItsArray() throws Exception {
        for (String text : new String[] {"127.0.0.1", "10.213.0.2", "192.168.255.254", "255.255.255.255", "0.0.0.0"}) {
            java.net.Inet4Address address = (java.net.Inet4Address) java.net.InetAddress.getByName(text);
            byte[] ip = address.getAddress();
            assertThat(SendmmsgBatch.ipv4(address)).as(text)
                    .isEqualTo((ip[0] & 0xFF) << 24 | (ip[1] & 0xFF) << 16 | (ip[2] & 0xFF) << 8 | (ip[3] & 0xFF));
        }
    }

    private Channel bind(SocketProtocolFamily family) throws InterruptedException {
        String host = family == SocketProtocolFamily.INET6 ? "::" : "127.0.0.1";
        Channel socket = new Bootstrap().group(loop).channelFactory(() -> new EpollDatagramChannel(family))
                .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(host, 0)).sync().channel();
        sockets.add(socket);
        return socket;
    }

    private static SendmmsgBatch batchFor(Channel socket, int capacity) {
        return batchFor(socket, capacity, true);
    }

    private static SendmmsgBatch batchFor(Channel socket, int capacity, boolean segmentation) {
        NativeUdp udp = NativeUdp.choose("auto").udp();
        assertThat(udp).isNotNull();
        SendmmsgBatch batch = udp.batchFor(((EpollDatagramChannel) socket).fd().intValue(), capacity, segmentation);
        assertThat(batch).as("the socket's address family is readable").isNotNull();
        return batch;
    }

    private static ByteBuf numbered(Channel socket, int n) {
        return socket.alloc().directBuffer(8).writeInt(n).writeInt(~n);
    }

    /** Datagram {@code n}: its number, then zeros up to {@code size} bytes. */
    private static ByteBuf sized(Channel socket, int n, int size) {
        return socket.alloc().directBuffer(size).writeInt(n).writeZero(size - 4);
    }

    private InetSocketAddress receiverAddress(int i) throws Exception {
        return (InetSocketAddress) receivers.get(i).getLocalAddress();
    }

    private DatagramPacket receive(int receiver) throws Exception {
        DatagramPacket in = new DatagramPacket(new byte[64], 64);
        receivers.get(receiver).configureBlocking(true);
        receivers.get(receiver).socket().receive(in);
        return in;
    }

    private <T> T onLoop(Callable<T> work) throws Exception {
        return loop.submit(work).get(10, TimeUnit.SECONDS);
    }
}
