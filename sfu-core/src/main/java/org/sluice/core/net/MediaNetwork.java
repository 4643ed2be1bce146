package org.sluice.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The media sockets: one UDP port shared by every transport, read by one socket per event loop
 * with {@code SO_REUSEPORT} on epoll (so each core reads its own socket, and the kernel keeps a
 * remote address on one socket), batched with {@code recvmmsg}/{@code sendmmsg}; a single socket on
 * NIO where epoll is missing. Plus one passive ICE-TCP port (RFC 6544, RFC 4571 framing).
 */
public final class MediaNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaNetwork.class);
    /** recvmmsg fills one buffer with up to this many datagrams of at most MAX_DATAGRAM bytes. */
    private static final int MAX_DATAGRAM = 2048;
    private static final int DATAGRAMS_PER_READ = 16;
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    /**
     * Per ICE-TCP connection: bytes waiting in its outbound buffer above which it counts as not writable (and
     * packets for it are dropped, see {@link TcpPath}), and below which it is writable again. 256 KiB is about
     * 0.7 s of a 3 Mbit/s receive stream: room for a burst, not for a receiver that stopped reading.
     */
    static final WriteBufferWaterMark TCP_WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);
    /**
     * What may wait in user space for a UDP socket whose kernel send buffer ({@code SO_SNDBUF}, 4 MiB) is full;
     * beyond the high mark datagrams are dropped (media is better lost, and repaired, than late).
     */
    static final WriteBufferWaterMark UDP_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final List<MediaLoop> loops = new ArrayList<>();
    private final Map<EventLoop, MediaLoop> loopsByEventLoop = new IdentityHashMap<>();
    private final List<Channel> channels = new ArrayList<>();
    private final NetworkCounters counters = new NetworkCounters();
    private final boolean epoll;
    private final int udpPort;
    private final int tcpPort;
    private final java.net.InetAddress bindAddress;
    private final NativeUdp.Choice sendPath = NativeUdp.selected();
    private int segmentingBatches;

    private MediaNetwork(MediaNetworkConfig config, PacketReceiver receiver) throws IOException, InterruptedException {
        this.epoll = Epoll.isAvailable();
        this.bindAddress = config.bindAddress();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.loops(), new DefaultThreadFactory("sluice-media", true), io);
        int index = 0;
        for (var executor : group) {
            EventLoop loop = (EventLoop) executor;
            MediaLoop mediaLoop = new MediaLoop(index++, loop, counters);
            loops.add(mediaLoop);
            loopsByEventLoop.put(loop, mediaLoop);
        }
        try {
            this.udpPort = bindUdp(config, receiver);
            this.tcpPort = config.tcpPort() < 0 ? -1 : bindTcp(config, receiver);
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IOException("cannot bind media sockets on " + config.bindAddress().getHostAddress()
                    + " (udp " + config.udpPort() + ", tcp " + config.tcpPort() + "): " + e.getMessage(), e);
        }
        log.info("media on udp {}:{} ({} socket(s), {}), ice-tcp port {}", config.bindAddress().getHostAddress(),
                udpPort, loops.size(), epoll ? "epoll, SO_REUSEPORT" : "nio", tcpPort);
        if (epoll) {
            log.info("media UDP sends: {}; runs to one peer as one segmented message: {}", sendPath,
                    segmentation(config));
        }
    }

    /** Whether the media loops' batches segment runs, and why not. */
    private String segmentation(MediaNetworkConfig config) {
        if (sendPath.udp() == null) {
            return "no (Netty's transport sends)";
        }
        if (!config.udpSegmentation()) {
            return "no (turned off in the engine's configuration)";
        }
        if (!sendPath.segmentation()) {
            return "no (-D" + NativeUdp.SEGMENTATION_PROPERTY + "=off)";
        }
        return segmentingBatches > 0 ? "yes (UDP_SEGMENT)" : "no (this kernel has no UDP_SEGMENT)";
    }

    /** Opens the sockets; {@code receiver} gets every packet on the loop that read it. */
    public static MediaNetwork start(MediaNetworkConfig config, PacketReceiver receiver)
            throws IOException, InterruptedException {
        return new MediaNetwork(config, receiver);
    }

    private int bindUdp(MediaNetworkConfig config, PacketReceiver receiver) throws InterruptedException {
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(new UdpReadHandler(this, receiver));
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        int port = config.udpPort();
        int sockets = epoll ? loops.size() : 1;
        for (int i = 0; i < sockets; i++) {
            ChannelFuture bound = bootstrap.bind(new InetSocketAddress(config.bindAddress(), port)).sync();
            Channel channel = bound.channel();
            channels.add(channel);
            port = ((InetSocketAddress) channel.localAddress()).getPort();
            SendmmsgBatch batch = ownBatch(channel, config.udpSegmentation() && sendPath.segmentation());
            if (batch != null && batch.segmentation()) {
                segmentingBatches++;
            }
            loopOf(channel.eventLoop()).attachUdp(channel, batch);
        }
        if (!epoll) {
            // Without SO_REUSEPORT one socket reads for all; every loop sends through it.
            Channel only = channels.get(0);
            for (MediaLoop loop : loops) {
                loop.attachUdp(only);
            }
        }
        return port;
    }

    /** The loop's own send batch for an epoll UDP socket where {@link NativeUdp} is in use, else null. */
    private SendmmsgBatch ownBatch(Channel channel, boolean segmentation) {
        NativeUdp udp = sendPath.udp();
        if (udp == null || !(channel instanceof EpollDatagramChannel epollChannel)) {
            return null;
        }
        SendmmsgBatch batch = udp.batchFor(epollChannel.fd().intValue(), SendmmsgBatch.DEFAULT_CAPACITY,
                segmentation);
        if (batch == null) {
            log.warn("the address family of media socket {} is unreadable: it sends through Netty", channel);
        }
        return batch;
    }

    private int bindTcp(MediaNetworkConfig config, PacketReceiver receiver) throws InterruptedException {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(type)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TCP_WATER_MARK)
                .childHandler(new IceTcpInitializer(this, receiver));
        Channel server = bootstrap.bind(new InetSocketAddress(config.bindAddress(), config.tcpPort())).sync().channel();
        channels.add(server);
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Opens a UDP socket of its own on {@code loop}, on a free port of the media bind address, for a transport we
     * dial (see {@link DialSocket}); what it reads goes to {@code receiver} on that loop. Blocks until bound.
     *
     * @throws IOException when no port can be bound
     */
    public DialSocket openDialSocket(MediaLoop loop, PacketReceiver receiver) throws IOException {
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        DialSocket.Reader reader = new DialSocket.Reader(counters);
        Bootstrap bootstrap = new Bootstrap().group(loop.eventLoop()).channel(type)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER / 4)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER / 4)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(reader);
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(bindAddress, 0)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind a dial socket on " + bindAddress.getHostAddress() + ": "
                    + bound.cause(), bound.cause());
        }
        DialSocket socket = new DialSocket(loop, bound.channel());
        reader.deliverTo(socket, receiver);
        return socket;
    }

    MediaLoop loopOf(EventLoop eventLoop) {
        MediaLoop loop = loopsByEventLoop.get(eventLoop);
        if (loop == null) {
            throw new IllegalStateException("not a media loop: " + eventLoop);
        }
        return loop;
    }

    public List<MediaLoop> loops() {
        return List.copyOf(loops);
    }

    public int udpPort() {
        return udpPort;
    }

    /** The ICE-TCP port, or -1 when ICE-TCP is off. */
    public int tcpPort() {
        return tcpPort;
    }

    public boolean usesEpoll() {
        return epoll;
    }

    public NetworkCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
