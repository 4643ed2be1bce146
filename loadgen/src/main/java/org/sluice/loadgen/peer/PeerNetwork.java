package org.sluice.loadgen.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
 */
public final class PeerNetwork implements AutoCloseable {

    /** Largest datagram read. */
    public static final int MAX_DATAGRAM = 2048;
    static final int DATAGRAMS_PER_READ = 16;
    private static final int SOCKET_BUFFER = 1 << 20;
    private static final long LAG_PERIOD_MILLIS = 10;

    private final EventLoopGroup group;
    private final boolean epoll;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService dtlsExecutor;
    private final Map<EventExecutor, LoopStats> stats = new IdentityHashMap<>();
    private final List<LoopStats> allStats = new ArrayList<>();

    public PeerNetwork(int eventLoops, int dtlsThreads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
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
        if (epoll) {
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
