package org.sluice.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.dtls.DtlsEndpoint;
import org.sluice.core.dtls.DtlsExecutors;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.dtls.DtlsSettings;
import org.sluice.core.dtls.DtlsState;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.TrickleFragment;
import org.sluice.core.sdp.TrickleFragmentParser;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;
import org.sluice.core.stun.StunMessageWriter;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.RtpPackets;
import org.sluice.rtp.rtcp.PliView;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;
import org.sluice.rtp.srtp.SrtpSessionConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A WebRTC peer without a browser: one UDP socket on 127.0.0.1, a full-ICE controlling agent that
 * nominates the server's host candidate, a DTLS-SRTP client ({@link DtlsEndpoint}) and SRTP contexts
 * from the exported keys. It offers ({@link PeerOffer}), takes the answer ({@link #accept}),
 * {@link #connect}s, then sends SRTP/SRTCP and queues what it decrypts.
 *
 * <p>Threads: one daemon receiver thread per peer reads the socket, answers nothing (the server is
 * ICE-lite and never checks), completes pending checks, feeds DTLS and decrypts media into queues;
 * one DTLS handshake thread (or an executor shared among peers). Sending methods may be called from any thread. Every wait is bounded.
 * {@link #close()} stops both threads and closes the socket.
 */
public final class SimulatedPeer implements AutoCloseable {

    private static final int MAX_DATAGRAM = 2048;
    private static final int QUEUE_CAPACITY = 100_000;
    private static final long CHECK_RETRY_MILLIS = 50;

    private final String name;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final DtlsCertificate certificate;
    private final ExecutorService dtlsExecutor;
    private final boolean ownsExecutor;
    private final SecureRandom random = new SecureRandom();
    private final long tieBreaker = random.nextLong();
    private final StunMessageWriter stunWriter = new StunMessageWriter();
    private final Map<String, CompletableFuture<Boolean>> pendingChecks = new ConcurrentHashMap<>();
    private final CompletableFuture<DtlsEndpoint.SrtpKeyMaterial> keys = new CompletableFuture<>();
    private final BlockingQueue<ReceivedRtp> rtp = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final BlockingQueue<ReceivedRtcp> rtcp = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Object inboundLock = new Object();
    private final List<byte[]> early = new ArrayList<>();
    private final Object sendLock = new Object();
    private final AtomicLong undecryptable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.Set<Long> loseIncoming = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread receiver;

    private volatile String ufrag;
    private volatile String password;
    private volatile String serverUfrag;
    private volatile StunIntegrity serverIntegrity;
    private volatile InetSocketAddress server;
    private volatile PeerAnswer answer;
    private volatile DtlsEndpoint dtls;
    private SrtpSession inbound;  // guarded by inboundLock
    private SrtpSession outbound; // guarded by sendLock

    private SimulatedPeer(String name, DtlsCertificate certificate, ExecutorService sharedExecutor)
            throws IOException {
        this.name = name;
        this.certificate = certificate;
        this.ownsExecutor = sharedExecutor == null;
        this.dtlsExecutor = ownsExecutor ? DtlsExecutors.newHandshakeExecutor(1) : sharedExecutor;
        this.channel = DatagramChannel.open();
        try {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            channel.close();
            if (ownsExecutor) {
                dtlsExecutor.shutdownNow();
            }
            throw e;
        }
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        newCredentials();
        this.receiver = new Thread(this::receiveLoop, "sim-peer-" + name);
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Opens a peer on a free loopback port with its own certificate and DTLS thread; {@code name} labels its thread. */
    public static SimulatedPeer open(String name) throws IOException {
        return new SimulatedPeer(name, DtlsCertificate.generate(), null);
    }

    /**
     * Opens a peer that shares a certificate and a DTLS handshake executor with others (a load
     * generator's many peers); the executor is not shut down by {@link #close()}.
     */
    public static SimulatedPeer open(String name, DtlsCertificate certificate, ExecutorService dtlsExecutor)
            throws IOException {
        return new SimulatedPeer(name, certificate, Objects.requireNonNull(dtlsExecutor, "dtlsExecutor"));
    }

    public String name() {
        return name;
    }

    /** Our current ICE username fragment (changes with {@link #iceRestartFragment()}). */
    public String ufrag() {
        return ufrag;
    }

    /** Our current ICE password. */
    public String password() {
        return password;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** The answer taken by {@link #accept}, or {@code null}. */
    public PeerAnswer answer() {
        return answer;
    }

    /** Datagrams that looked like SRTP/SRTCP but did not decrypt. */
    public long undecryptable() {
        return undecryptable.get();
    }

    /** Drops the next incoming RTP packet with this SSRC and sequence number before decryption, like a lossy link. */
    public void loseIncoming(long ssrc, int sequence) {
        loseIncoming.add((ssrc << 16) | (sequence & 0xFFFF));
    }

    /** Decrypted packets dropped because a receive queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Takes the server's answer: its ICE credentials, its UDP candidate and the DTLS fingerprint. */
    public PeerAnswer accept(String answerSdp) {
        PeerAnswer parsed = PeerAnswer.parse(answerSdp);
        if (parsed.setup() != Setup.PASSIVE) {
            throw new IllegalArgumentException("the peer runs the DTLS client; the answer says setup " + parsed.setup());
        }
        useServerCredentials(parsed.iceUfrag(), parsed.icePwd());
        this.server = parsed.udpCandidate();
        this.answer = parsed;
        return parsed;
    }

    /**
     * Points {@link #sendRaw} at {@code server} without an answer of our own (a stranger to the
     * server, for hostile-input tests).
     */
    public void aimAt(InetSocketAddress server) {
        this.server = server;
    }

    /**
     * Nominates the server's candidate (checks until one succeeds), runs the DTLS handshake as
     * client and installs SRTP. Fails with {@link TimeoutException} if that takes longer than {@code timeout}.
     */
    public void connect(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!check(timeout)) {
            throw new TimeoutException(name + ": no ICE check succeeded within " + timeout);
        }
        DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.CLIENT, certificate, answer.fingerprint(),
                this::sendDtls, new DtlsEvents(), dtlsExecutor, DtlsSettings.defaults());
        this.dtls = endpoint;
        endpoint.start();
        try {
            keys.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": DTLS failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException(name + ": DTLS did not complete within " + timeout + " (" + endpoint.state() + ")");
        }
    }

    /** Whether DTLS completed and SRTP is installed. */
    public boolean isConnected() {
        return keys.isDone() && !keys.isCompletedExceptionally();
    }

    /** The DTLS state, or {@code null} before {@link #connect}. */
    public DtlsState dtlsState() {
        DtlsEndpoint endpoint = dtls;
        return endpoint == null ? null : endpoint.state();
    }

    /**
     * Sends nominating connectivity checks (USE-CANDIDATE, ICE-CONTROLLING, every 50 ms) with the
     * current credentials until one gets an authentic success response or {@code timeout} passes.
     * This is also how a peer refreshes consent (RFC 7675).
     */
    public boolean check(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
            random.nextBytes(transactionId);
            String key = HexFormat.of().formatHex(transactionId);
            CompletableFuture<Boolean> response = new CompletableFuture<>();
            pendingChecks.put(key, response);
            try {
                ByteBuf out = Unpooled.buffer(256);
                try {
                    synchronized (stunWriter) {
                        stunWriter.bindingRequest(out, transactionId, serverUfrag + ":" + ufrag, 0x6E7F1EFFL, true,
                                tieBreaker, true, serverIntegrity);
                    }
                    sendRaw(out);
                } finally {
                    out.release();
                }
                long wait = Math.min(TimeUnit.MILLISECONDS.toNanos(CHECK_RETRY_MILLIS), deadline - System.nanoTime());
                if (Boolean.TRUE.equals(response.get(Math.max(1, wait), TimeUnit.NANOSECONDS))) {
                    return true;
                }
            } catch (TimeoutException | ExecutionException e) {
                // no answer yet: retry
            } finally {
                pendingChecks.remove(key);
            }
        }
        return false;
    }

    /**
     * Starts an ICE restart: new local credentials, returned as a trickle-ice-sdpfrag to PATCH. Pass
     * the server's answer fragment to {@link #acceptIceRestart}, then {@link #check} again.
     */
    public String iceRestartFragment() {
        newCredentials();
        return "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + password + "\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\n";
    }

    /** Takes the server's new credentials from its ICE-restart answer fragment. */
    public void acceptIceRestart(String answerFragment) {
        try {
            TrickleFragment fragment = TrickleFragmentParser.parse(answerFragment);
            String newUfrag = fragment.effectiveIceUfrag();
            String newPwd = fragment.effectiveIcePwd();
            if (newUfrag == null || newPwd == null) {
                throw new IllegalArgumentException("restart answer lacks ice-ufrag/ice-pwd");
            }
            useServerCredentials(newUfrag, newPwd);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("restart answer does not parse: " + e.getMessage(), e);
        }
    }

    /** The server's current ICE username fragment. */
    public String serverUfrag() {
        return serverUfrag;
    }

    /**
     * Protects and sends one RTP packet; returns the SRTP datagram as sent (e.g. to replay it).
     */
    public byte[] sendRtp(int payloadType, long ssrc, int sequence, long timestamp, boolean marker, byte[] payload) {
        return sendRtp(payloadType, ssrc, sequence, timestamp, marker, 0, null, payload);
    }

    /**
     * Like {@link #sendRtp(int, long, int, long, boolean, byte[])} with one one-byte header extension element
     * ({@code extensionId} 1..14, 1..16 bytes of {@code extensionData}; none when {@code extensionData} is null).
     */
    public byte[] sendRtp(int payloadType, long ssrc, int sequence, long timestamp, boolean marker, int extensionId,
                          byte[] extensionData, byte[] payload) {
        return extensionData == null ? sendRtp(payloadType, ssrc, sequence, timestamp, marker, null, null, payload)
                : sendRtp(payloadType, ssrc, sequence, timestamp, marker, new int[] {extensionId},
                new byte[][] {extensionData}, payload);
    }

    /**
     * Like {@link #sendRtp(int, long, int, long, boolean, byte[])} with one-byte header extension elements
     * ({@code ids[i]} 1..14 with 1..16 bytes {@code data[i]}; none when {@code ids} is null).
     */
    public byte[] sendRtp(int payloadType, long ssrc, int sequence, long timestamp, boolean marker, int[] ids,
                          byte[][] data, byte[] payload) {
        int elementBytes = 0;
        if (ids != null) {
            for (byte[] d : data) {
                elementBytes += 1 + d.length;
            }
        }
        int extensionWords = ids == null ? 0 : 1 + (elementBytes + 3) / 4;
        ByteBuf plain = Unpooled.buffer(RtpPacket.FIXED_HEADER_LENGTH + extensionWords * 4 + payload.length);
        ByteBuf out = Unpooled.buffer(RtpPacket.FIXED_HEADER_LENGTH + extensionWords * 4 + payload.length + 32);
        try {
            plain.writeByte(ids == null ? 0x80 : 0x90);
            plain.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7f));
            plain.writeShort(sequence & 0xffff);
            plain.writeInt((int) timestamp);
            plain.writeInt((int) ssrc);
            if (ids != null) {
                plain.writeShort(0xBEDE);
                plain.writeShort(extensionWords - 1);
                int start = plain.writerIndex();
                for (int i = 0; i < ids.length; i++) {
                    plain.writeByte((ids[i] << 4) | (data[i].length - 1));
                    plain.writeBytes(data[i]);
                }
                while (plain.writerIndex() - start < (extensionWords - 1) * 4) {
                    plain.writeByte(0);
                }
            }
            plain.writeBytes(payload);
            synchronized (sendLock) {
                requireKeys();
                SrtpResult result = outbound.protectRtp(plain, out);
                if (result != SrtpResult.OK) {
                    throw new IllegalStateException("protectRtp: " + result);
                }
                byte[] datagram = new byte[out.readableBytes()];
                out.getBytes(out.readerIndex(), datagram);
                sendRaw(datagram);
                return datagram;
            }
        } finally {
            plain.release();
            out.release();
        }
    }

    /** Protects the plain RTCP compound in {@code plain}'s readable bytes and sends it; does not release it. */
    public void sendRtcp(ByteBuf plain) {
        ByteBuf out = Unpooled.buffer(plain.readableBytes() + 32);
        try {
            synchronized (sendLock) {
                requireKeys();
                SrtpResult result = outbound.protectRtcp(plain, out);
                if (result != SrtpResult.OK) {
                    throw new IllegalStateException("protectRtcp: " + result);
                }
                sendRaw(out);
            }
        } finally {
            out.release();
        }
    }

    /** Sends a PLI (RFC 4585 §6.3.1) for {@code mediaSsrc}. */
    public void sendPli(long senderSsrc, long mediaSsrc) {
        ByteBuf plain = Unpooled.buffer(12);
        try {
            PliView.write(plain, senderSsrc, mediaSsrc);
            sendRtcp(plain);
        } finally {
            plain.release();
        }
    }

    /** Sends a sender report (RFC 3550 §6.4.1) for {@code ssrc} without report blocks. */
    public void sendSenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packets, long octets) {
        ByteBuf plain = Unpooled.buffer(64);
        try {
            ReportWriter.writeSenderReport(plain, ssrc, ntpTimestamp, rtpTimestamp, packets, octets, List.of());
            sendRtcp(plain);
        } finally {
            plain.release();
        }
    }

    /** Sends {@code datagram} as is from our socket to the server (hostile-input tests, replays). */
    public void sendRaw(byte[] datagram) {
        send(ByteBuffer.wrap(datagram));
    }

    /** Sends {@code buf}'s readable bytes as is; does not release it. */
    public void sendRaw(ByteBuf buf) {
        send(buf.nioBuffer());
    }

    private void send(ByteBuffer datagram) {
        InetSocketAddress to = server;
        if (to == null) {
            throw new IllegalStateException(name + ": no answer accepted yet");
        }
        try {
            channel.send(datagram, to);
        } catch (IOException e) {
            throw new IllegalStateException(name + ": send failed", e);
        }
    }

    /** The next decrypted RTP packet, waiting at most {@code timeout}; {@code null} if none came. */
    public ReceivedRtp pollRtp(Duration timeout) throws InterruptedException {
        return rtp.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Collects received RTP packets until {@code count} matched {@code filter} or {@code timeout}
     * passed; packets not matching are discarded. Returns the matching ones (maybe fewer).
     */
    public List<ReceivedRtp> awaitRtp(Predicate<ReceivedRtp> filter, int count, Duration timeout)
            throws InterruptedException {
        List<ReceivedRtp> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            ReceivedRtp packet = left <= 0 ? null : rtp.poll(left, TimeUnit.NANOSECONDS);
            if (packet == null) {
                break;
            }
            if (filter.test(packet)) {
                out.add(packet);
            }
        }
        return out;
    }

    /** Everything received and not yet taken, without waiting. */
    public List<ReceivedRtp> drainRtp() {
        List<ReceivedRtp> out = new ArrayList<>();
        rtp.drainTo(out);
        return out;
    }

    /**
     * The next decrypted RTCP compound matching {@code filter} (discarding others), or {@code null}
     * after {@code timeout}. Compounds are plain RTCP bytes.
     */
    public ReceivedRtcp awaitRtcp(Predicate<byte[]> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ReceivedRtcp received = left <= 0 ? null : rtcp.poll(left, TimeUnit.NANOSECONDS);
            if (received == null || filter.test(received.compound())) {
                return received;
            }
        }
    }

    /** Every RTCP compound received and not yet taken, without waiting. */
    public List<ReceivedRtcp> drainRtcp() {
        List<ReceivedRtcp> out = new ArrayList<>();
        rtcp.drainTo(out);
        return out;
    }

    private void useServerCredentials(String serverUfrag, String serverPwd) {
        this.serverIntegrity = StunIntegrity.shortTerm(serverPwd);
        this.serverUfrag = serverUfrag;
    }

    private void newCredentials() {
        this.ufrag = randomToken(8);
        this.password = randomToken(24);
    }

    private String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private void requireKeys() {
        if (outbound == null) {
            throw new IllegalStateException(name + ": not connected (no SRTP keys yet)");
        }
    }

    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress to = server;
        if (to == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(data.clone(), offset, length), to);
        } catch (IOException e) {
            // the handshake retransmits or times out
        }
    }

    // ------------------------------------------------------------------ receiving (receiver thread)

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        StunMessage stun = new StunMessage();
        RtpPacket view = new RtpPacket();
        while (channel.isOpen()) {
            buffer.clear();
            try {
                if (channel.receive(buffer) == null) {
                    continue;
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            if (datagram.length == 0) {
                continue;
            }
            int first = datagram[0] & 0xff;
            if (first <= 3) {
                onStun(datagram, stun);
            } else if (first >= 20 && first <= 63) {
                onDtls(datagram);
            } else if (first >= 128 && first <= 191) {
                synchronized (inboundLock) {
                    if (inbound == null) {
                        if (early.size() < 256) {
                            early.add(datagram);
                        }
                    } else {
                        onSrtp(datagram, view);
                    }
                }
            }
        }
    }

    private void onStun(byte[] datagram, StunMessage stun) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            if (!stun.wrap(buf) || stun.messageType() != StunMessageType.BINDING_SUCCESS_RESPONSE) {
                return;
            }
            byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
            stun.copyTransactionId(transactionId);
            CompletableFuture<Boolean> pending = pendingChecks.get(HexFormat.of().formatHex(transactionId));
            if (pending != null) {
                pending.complete(serverIntegrity.verify(stun) == IntegrityCheck.VALID);
            }
        } finally {
            buf.release();
        }
    }

    private void onDtls(byte[] datagram) {
        DtlsEndpoint endpoint = dtls;
        if (endpoint == null) {
            return;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            endpoint.receive(buf);
        } finally {
            buf.release();
        }
    }

    /** Decrypts one SRTP/SRTCP datagram into the queues; holds {@code inboundLock}. */
    private void onSrtp(byte[] datagram, RtpPacket view) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            if (RtpPackets.isRtcp(buf, 0)) {
                if (inbound.unprotectRtcp(buf) != SrtpResult.OK) {
                    undecryptable.incrementAndGet();
                    return;
                }
                byte[] plain = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), plain);
                if (!rtcp.offer(new ReceivedRtcp(plain, System.nanoTime()))) {
                    dropped.incrementAndGet();
                }
                return;
            }
            if (datagram.length >= 12 && loseIncoming.remove((((long) buf.getUnsignedInt(8)) << 16)
                    | buf.getUnsignedShort(2))) {
                return; // lost on the way, as asked: never decrypted, so a resend is no replay
            }
            if (inbound.unprotectRtp(buf) != SrtpResult.OK || !view.wrap(buf)) {
                undecryptable.incrementAndGet();
                return;
            }
            byte[] payload = new byte[view.payloadLength()];
            buf.getBytes(view.payloadOffset(), payload);
            ReceivedRtp packet = new ReceivedRtp(view.ssrc(), view.sequenceNumber(), view.timestamp(),
                    view.payloadType(), view.marker(), payload, System.nanoTime());
            if (!rtp.offer(packet)) {
                dropped.incrementAndGet();
            }
        } finally {
            buf.release();
        }
    }

    private void installKeys(DtlsEndpoint.SrtpKeyMaterial material) {
        synchronized (sendLock) {
            outbound = new SrtpSession(material.profile(), material.localMasterKey(), material.localMasterSalt());
        }
        synchronized (inboundLock) {
            // A browser has no stream limit to speak of: take every SSRC the server sends over a long test.
            inbound = new SrtpSession(material.profile(), material.remoteMasterKey(), material.remoteMasterSalt(),
                    SrtpSessionConfig.withMaxStreams(1 << 16));
            RtpPacket view = new RtpPacket();
            for (byte[] datagram : early) {
                onSrtp(datagram, view);
            }
            early.clear();
        }
    }

    /** DTLS outcomes, on the handshake thread. */
    private final class DtlsEvents implements DtlsEndpoint.DtlsListener {
        @Override
        public void onConnected(DtlsEndpoint.SrtpKeyMaterial material, long handshakeNanos) {
            installKeys(material);
            keys.complete(material);
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            keys.completeExceptionally(new IllegalStateException(reason, cause));
        }

        @Override
        public void onClosed() {
            // the server closed; tests observe it through the engine
        }
    }

    /** Sends DTLS close_notify if connected, stops the threads and closes the socket. Idempotent. */
    @Override
    public void close() {
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (ownsExecutor) {
            dtlsExecutor.shutdownNow();
        }
        try {
            receiver.join(2000);
            if (ownsExecutor) {
                dtlsExecutor.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimulatedPeer " + name + " " + localAddress;
    }
}
