package org.sluice.loadgen.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.dtls.DtlsExecutors;
import org.sluice.loadgen.check.LoopStats;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What all client peers of a run share: the event loops (epoll where available, with recvmmsg reads
 * of up to {@value #DATAGRAMS_PER_READ} datagrams per call), one certificate, the DTLS handshake
 * executor, and one {@link LoopStats} per loop.
 *
 * <p>With {@link Options#udpGro()} and a kernel that has {@code UDP_GRO} (Linux 5.0), the sockets take a run
 * of datagrams the server sent as one segmented message ({@code UDP_SEGMENT}) as one read of up to
 * {@value #MAX_COALESCED_READ} bytes, which Netty splits back into the datagrams. On loopback the delivery into
 * the receiving socket runs on the sender's core: without GRO the kernel cuts the run into its datagrams there
 * and queues each, work a real network does on the viewer's host, not the server's.
 */
public final class PeerNetwork implements AutoCloseable {

    /** Largest datagram read. */
    public static final int MAX_DATAGRAM = 2048;
    static final int DATAGRAMS_PER_READ = 16;
    /** Largest read with GRO: the most a coalesced run can hold (a UDP payload). */
    static final int MAX_COALESCED_READ = 65_536;
    private static final int SOCKET_BUFFER = 1 << 20;
    private static final long LAG_PERIOD_MILLIS = 10;

    /**
     * How the peers' sockets are set up.
     *
     * @param eventLoops  event-loop threads (socket I/O, SRTP, checks)
     * @param dtlsThreads DTLS handshake threads
     * @param udpGro      whether sockets take a segmented run as one read, where the kernel can
     */
    public record Options(int eventLoops, int dtlsThreads, boolean udpGro) {
        /** With GRO where the kernel has it. */
        public Options(int eventLoops, int dtlsThreads) {
            this(eventLoops, dtlsThreads, true);
        }
    }

    private final EventLoopGroup group;
    private final boolean epoll;
    private final boolean udpGro;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService dtlsExecutor;
    private final Map<EventExecutor, LoopStats> stats = new IdentityHashMap<>();
    private final List<LoopStats> allStats = new ArrayList<>();

    public PeerNetwork(int eventLoops, int dtlsThreads) {
        this(new Options(eventLoops, dtlsThreads));
    }

    public PeerNetwork(Options options) {
        int eventLoops = options.eventLoops();
        int dtlsThreads = options.dtlsThreads();
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
        this.udpGro = epoll && options.udpGro() && kernelTakesUdpGro(group);
        for (EventExecutor loop : group) {
            LoopStats s = new LoopStats();
            stats.put(loop, s);
            allStats.add(s);
        }
        this.dtlsExecutor = DtlsExecutors.newHandshakeExecutor(dtlsThreads, 8192);
        for (EventExecutor loop : group) {
            watchLag(loop, stats.get(loop));
        }
    }

    /** Every {@value #LAG_PERIOD_MILLIS} ms, records how late the loop ran a task scheduled for that moment. */
    private static void watchLag(EventExecutor loop, LoopStats loopStats) {
        long period = TimeUnit.MILLISECONDS.toNanos(LAG_PERIOD_MILLIS);
        long start = System.nanoTime() + period;
        long[] due = {start};
        loop.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            loopStats.onLoopLag(now - due[0]);
            due[0] += period; // fixed rate: the loop runs missed slots late, back to back
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** Whether a socket with {@code UDP_GRO} asked for reports it set (the kernel has it). */
    private static boolean kernelTakesUdpGro(EventLoopGroup group) {
        Channel probe = null;
        try {
            probe = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .option(EpollChannelOption.UDP_GRO, true)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            return ((EpollDatagramChannel) probe).config().isUdpGro();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) { // ChannelException: the kernel does not know the option
            return false;
        } finally {
            if (probe != null) {
                probe.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether sockets take a segmented run as one read (UDP GRO). */
    public boolean usesUdpGro() {
        return udpGro;
    }

    /** Whether sockets use epoll (recvmmsg/sendmmsg); NIO otherwise. */
    public boolean usesEpoll() {
        return epoll;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    public ExecutorService dtlsExecutor() {
        return dtlsExecutor;
    }

    /** The stats of the loop {@code loop}. */
    public LoopStats statsOf(EventLoop loop) {
        return stats.get(loop);
    }

    /** Every loop's stats, for progress reads of {@link LoopStats#packets()}. */
    public List<LoopStats> loopStats() {
        return Collections.unmodifiableList(allStats);
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Binds a UDP socket on 127.0.0.1 with a free port on the next loop; blocks until bound. */
    Channel bind(ChannelHandler handler) throws InterruptedException {
        return bind(handler, group.next());
    }

    /** Binds a UDP socket on 127.0.0.1 with a free port on {@code loop} (one of this network's). */
    Channel bind(ChannelHandler handler, EventLoop loop) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(handler);
        if (udpGro) {
            // one message a read (recvmsg), large enough for a whole run; Netty hands on each datagram
            bootstrap.option(EpollChannelOption.UDP_GRO, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_COALESCED_READ));
        } else if (epoll) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    @Override
    public void close() {
        dtlsExecutor.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        try {
            dtlsExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
