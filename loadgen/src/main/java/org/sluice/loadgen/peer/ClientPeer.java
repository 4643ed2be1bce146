package org.sluice.loadgen.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import org.sluice.core.dtls.DtlsEndpoint;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.dtls.DtlsSettings;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;
import org.sluice.core.stun.StunMessageWriter;
import org.sluice.loadgen.check.LoopStats;
import org.sluice.rtp.RtpPackets;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One simulated WebRTC endpoint: a UDP socket on loopback, the controlling side of ICE against the
 * ICE-lite server (nominating Binding requests until an authentic success response, then one every
 * {@value #CONSENT_SECONDS} s for consent), a DTLS client and SRTP both ways. All socket I/O, STUN,
 * SRTP and the {@link MediaHandler} run on the peer's event loop; the DTLS handshake runs on the shared
 * executor. Every wait is bounded by the connect timeout.
 */
public final class ClientPeer implements AutoCloseable {

    private static final long CHECK_RETRY_MILLIS = 50;
    private static final long CONSENT_SECONDS = 5;
    private static final int MAX_EARLY_DATAGRAMS = 64;
    private static final long ICE_PRIORITY = 0x6E7F1EFFL;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final PeerNetwork network;
    private final MediaHandler media;
    private final Channel channel;
    private final EventLoop loop;
    private final LoopStats stats;
    private final SecureRandom random = new SecureRandom();
    private final long tieBreaker = random.nextLong();
    private final String ufrag = token(8);
    private final String password = token(24);
    private final StunMessageWriter stunWriter = new StunMessageWriter();
    private final StunMessage stunView = new StunMessage();
    private final byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    private volatile ServerAnswer answer;
    private InetSocketAddress server;
    private StunIntegrity serverIntegrity;
    private boolean iceDone;
    private boolean transactionStarted;
    private ScheduledFuture<?> checks;
    private volatile DtlsEndpoint dtls;
    private SrtpSession inbound;
    private SrtpSession outbound;
    private long connectStartNanos;
    private volatile long iceNanos = -1;
    private volatile long dtlsNanos = -1;
    private long protectFailures;
    private long dropsNotWritable;
    private boolean closed;

    private ClientPeer(PeerNetwork network, MediaHandler media, EventLoop on) throws InterruptedException {
        this.network = network;
        this.media = media;
        this.channel = on == null ? network.bind(new Reader()) : network.bind(new Reader(), on);
        this.loop = channel.eventLoop();
        this.stats = network.statsOf(loop);
    }

    /** Binds a socket on a free loopback port on the network's next loop. */
    public static ClientPeer open(PeerNetwork network, MediaHandler media) throws InterruptedException {
        return new ClientPeer(network, media, null);
    }

    /** Binds a socket on a free loopback port on {@code loop}, one of the network's loops. */
    public static ClientPeer open(PeerNetwork network, MediaHandler media, EventLoop loop) throws InterruptedException {
        return new ClientPeer(network, media, loop);
    }

    public String ufrag() {
        return ufrag;
    }

    public String password() {
        return password;
    }

    /** The server's media address, once an answer was taken; else null. */
    public InetSocketAddress serverAddress() {
        ServerAnswer a = answer;
        return a == null ? null : a.udpCandidate();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public String sdpFingerprint() {
        return network.certificate().sdpFingerprint();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** The stats of this peer's loop. */
    public LoopStats loopStats() {
        return stats;
    }

    /**
     * Takes the server's answer and starts ICE, then DTLS; the future completes on the loop when SRTP is
     * installed, or fails after {@code timeoutMillis}.
     */
    public CompletableFuture<Void> connect(ServerAnswer serverAnswer, long timeoutMillis) {
        loop.execute(() -> {
            this.connectStartNanos = System.nanoTime();
            this.answer = serverAnswer;
            this.server = serverAnswer.udpCandidate();
            this.serverIntegrity = StunIntegrity.shortTerm(serverAnswer.icePwd());
            checks = loop.scheduleAtFixedRate(this::sendCheck, 0, CHECK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            loop.schedule(() -> {
                if (!connected.isDone()) {
                    connected.completeExceptionally(new TimeoutException("not connected within " + timeoutMillis
                            + " ms (ICE " + (iceDone ? "done" : "pending") + ", DTLS "
                            + (dtls == null ? "not started" : dtls.state()) + ")"));
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        });
        return connected;
    }

    /**
     * Skips ICE and DTLS: installs {@code keys} and sends to {@code remote} from now on. Only for the
     * generator's capacity self-test, where two of its own peers talk to each other.
     */
    public CompletableFuture<Void> useKeysWithoutHandshake(DtlsEndpoint.SrtpKeyMaterial keys, InetSocketAddress remote) {
        loop.execute(() -> {
            this.server = remote;
            installKeys(keys);
        });
        return connected;
    }

    /** Time from the answer to the first authentic Binding success response; -1 before. */
    public long iceNanos() {
        return iceNanos;
    }

    /** Time the DTLS handshake took; -1 before it completed. */
    public long dtlsNanos() {
        return dtlsNanos;
    }

    /** Whether SRTP is installed; on the loop. */
    public boolean isConnected() {
        return outbound != null;
    }

    /** Protects the plain RTP packet in {@code plain}'s readable bytes and queues it; call {@link #flush()} after a batch. On the loop. */
    public void sendRtp(ByteBuf plain) {
        if (outbound == null || closed) {
            return;
        }
        if (!channel.isWritable()) {
            dropsNotWritable++;
            return;
        }
        ByteBuf out = channel.alloc().directBuffer(plain.readableBytes() + outbound.rtpOverhead());
        if (outbound.protectRtp(plain, out) != SrtpResult.OK) {
            protectFailures++;
            out.release();
            return;
        }
        channel.write(new DatagramPacket(out, server), channel.voidPromise());
    }

    /** Protects and sends one RTCP compound now. On the loop. */
    public void sendRtcp(ByteBuf plain) {
        if (outbound == null || closed) {
            return;
        }
        ByteBuf out = channel.alloc().directBuffer(plain.readableBytes() + outbound.rtcpOverhead());
        if (outbound.protectRtcp(plain, out) != SrtpResult.OK) {
            protectFailures++;
            out.release();
            return;
        }
        channel.writeAndFlush(new DatagramPacket(out, server), channel.voidPromise());
    }

    /** Sends what {@link #sendRtp} queued (one sendmmsg with epoll). */
    public void flush() {
        channel.flush();
    }

    /** Packets not sent because protecting failed. */
    public long protectFailures() {
        return protectFailures;
    }

    /** Packets not sent because the socket's outbound buffer was full. */
    public long dropsNotWritable() {
        return dropsNotWritable;
    }

    // ------------------------------------------------------------------ ICE (on the loop)

    /**
     * Sends the connectivity check. Until ICE succeeds every retransmission keeps the same transaction
     * id (RFC 8489 §6.2.1), so a response that arrives after the next retransmission still counts; each
     * consent check afterwards is a new transaction.
     */
    private void sendCheck() {
        if (closed) {
            return;
        }
        if (iceDone || !transactionStarted) {
            random.nextBytes(transactionId);
            transactionStarted = true;
        }
        ByteBuf out = channel.alloc().directBuffer(256);
        stunWriter.bindingRequest(out, transactionId, answer.iceUfrag() + ":" + ufrag, ICE_PRIORITY, true,
                tieBreaker, true, serverIntegrity);
        channel.writeAndFlush(new DatagramPacket(out, server), channel.voidPromise());
    }

    private void onStun(ByteBuf datagram) {
        if (serverIntegrity == null || !stunView.wrap(datagram)
                || stunView.messageType() != StunMessageType.BINDING_SUCCESS_RESPONSE
                || !stunView.transactionIdEquals(transactionId)
                || serverIntegrity.verify(stunView) != IntegrityCheck.VALID) {
            return;
        }
        if (iceDone) {
            return; // a consent refresh answered
        }
        iceDone = true;
        iceNanos = System.nanoTime() - connectStartNanos;
        checks.cancel(false);
        checks = loop.scheduleAtFixedRate(this::sendCheck, CONSENT_SECONDS, CONSENT_SECONDS, TimeUnit.SECONDS);
        DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.CLIENT, network.certificate(), answer.fingerprint(),
                this::sendDtls, new DtlsEvents(), network.dtlsExecutor(), DtlsSettings.defaults());
        dtls = endpoint;
        endpoint.start();
    }

    // ------------------------------------------------------------------ DTLS

    /** On handshake threads: copies and sends. */
    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress to = server;
        if (to == null || !channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer(data, offset, length), to),
                channel.voidPromise());
    }

    private final class DtlsEvents implements DtlsEndpoint.DtlsListener {
        @Override
        public void onConnected(DtlsEndpoint.SrtpKeyMaterial keys, long handshakeNanos) {
            dtlsNanos = handshakeNanos;
            loop.execute(() -> installKeys(keys));
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            connected.completeExceptionally(new IllegalStateException("DTLS failed: " + reason, cause));
        }

        @Override
        public void onClosed() {
            // the server ended the association; the run notices missing media
        }
    }

    private void installKeys(DtlsEndpoint.SrtpKeyMaterial keys) {
        if (closed) {
            return;
        }
        outbound = new SrtpSession(keys.profile(), keys.localMasterKey(), keys.localMasterSalt());
        inbound = new SrtpSession(keys.profile(), keys.remoteMasterKey(), keys.remoteMasterSalt());
        long now = System.nanoTime();
        while (!early.isEmpty()) {
            ByteBuf datagram = early.poll();
            try {
                onSrtp(datagram, now);
            } finally {
                datagram.release();
            }
        }
        connected.complete(null);
    }

    // ------------------------------------------------------------------ receiving (on the loop)

    private void onDatagram(ByteBuf content, long now) {
        if (!content.isReadable()) {
            return;
        }
        int first = content.getUnsignedByte(content.readerIndex());
        if (first >= 128 && first <= 191) {
            if (inbound == null) {
                if (early.size() < MAX_EARLY_DATAGRAMS) {
                    early.add(content.retain());
                }
                return;
            }
            onSrtp(content, now);
        } else if (first <= 3) {
            onStun(content);
        } else if (first >= 20 && first <= 63) {
            DtlsEndpoint endpoint = dtls;
            if (endpoint != null) {
                endpoint.receive(content);
            }
        }
    }

    private void onSrtp(ByteBuf datagram, long now) {
        if (RtpPackets.isRtcp(datagram, datagram.readerIndex())) {
            if (inbound.unprotectRtcp(datagram) != SrtpResult.OK) {
                stats.onUndecryptable();
                return;
            }
            stats.onRtcp();
            media.onRtcp(datagram);
            return;
        }
        if (inbound.unprotectRtp(datagram) != SrtpResult.OK) {
            stats.onUndecryptable();
            return;
        }
        media.onRtp(datagram, now);
    }

    private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            onDatagram(packet.content(), System.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a UDP error (e.g. ICMP port unreachable after the server went away): keep reading
        }
    }

    // ------------------------------------------------------------------ closing

    /** Sends close_notify when connected, stops timers and closes the socket; returns when closed. */
    @Override
    public void close() {
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.close();
        }
        loop.execute(() -> {
            closed = true;
            if (checks != null) {
                checks.cancel(false);
            }
            while (!early.isEmpty()) {
                early.poll().release();
            }
        });
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        connected.completeExceptionally(new IllegalStateException("closed"));
    }

    private String token(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
