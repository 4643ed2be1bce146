package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.core.datachannel.SctpOverDtls;
import org.sluice.core.dtls.DtlsEndpoint;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.forward.EgressLeg;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.ice.IceCheckOutcome;
import org.sluice.core.ice.IceCredentials;
import org.sluice.core.ice.TransportKind;
import org.sluice.core.net.LoopTicker;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.net.PacketClass;
import org.sluice.core.net.PacketPath;
import org.sluice.bandwidth.pacer.PacingClass;
import org.sluice.core.stun.StunMessage;
import org.sluice.rtp.RtpPackets;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;
import org.sluice.rtp.srtp.SrtpSessionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One participant's ICE-lite + DTLS-SRTP transport: the composition of an {@link IceLiteAgent}, a
 * {@link DtlsEndpoint} and two {@link SrtpSession}s (inbound with the peer's keys, outbound with
 * ours). A transport belongs to the media loop whose socket first saw a valid check from its peer;
 * all media-path state is touched only there.
 */
public final class MediaTransport implements EgressLeg {

    private static final Logger log = LoggerFactory.getLogger(MediaTransport.class);
    private static final long CHECK_INTERVAL_MS = 1000;
    /** A transport that never sees a valid ICE check is given up after this long. */
    private static final long ICE_START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String id;
    private final IceLiteAgent ice;
    private final TransportDirectory directory;
    private final TransportCounters counters;
    private final LongSupplier nanoClock;
    private final SrtpSessionConfig srtpConfig;
    private final StunMessage stunView = new StunMessage();
    private final AtomicReference<MediaLoop> owner = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long createdNanos;

    private volatile TransportHandler handler;
    /** Data channels, when the answer accepted them; runs on the data channel thread. */
    private volatile SctpOverDtls dataChannels;
    private volatile boolean dtlsConnected;
    /** Send-side congestion control, installed on the loop once the receiver negotiated transport-cc. */
    private CongestionController congestion;
    private DtlsEndpoint dtls;
    private boolean dtlsStarted;
    private PacketPath selectedPath;
    private InetSocketAddress selectedRemote;
    private SrtpSession inboundSrtp;
    private SrtpSession outboundSrtp;
    /** The once-a-second check, ticked by the owner loop's {@link MediaLoop#secondTicker()} from the claim on. */
    private final LoopTicker.Member periodicCheck = this::periodicCheck;
    private volatile ScheduledFuture<?> startWatch;
    /** SRTP and SRTCP packets that passed authentication; the loop only. */
    private long authenticatedPackets;
    /** {@link #authenticatedPackets} at the last periodic check, and when it last moved. */
    private long authenticatedAtLastCheck;
    private long lastAuthenticatedNanos = Long.MIN_VALUE / 2;
    /** Stream-limit refusals of both SRTP sessions already counted and logged; the loop only. */
    private long streamLimitRefusalsSeen;
    /** For a transport we dial: the controlling ICE side and its socket (null for the ICE-lite transports). */
    private volatile IceDialer dialer;
    private volatile org.sluice.core.net.DialSocket dialSocket;

    MediaTransport(String id, IceLiteAgent ice, TransportDirectory directory, LongSupplier nanoClock) {
        this(id, ice, directory, nanoClock, SrtpSessionConfig.DEFAULT);
    }

    MediaTransport(String id, IceLiteAgent ice, TransportDirectory directory, LongSupplier nanoClock,
                   SrtpSessionConfig srtpConfig) {
        this.id = id;
        this.srtpConfig = srtpConfig;
        this.ice = ice;
        this.directory = directory;
        this.counters = directory.counters();
        this.nanoClock = nanoClock;
        this.createdNanos = nanoClock.getAsLong();
    }

    /** Completes construction: the DTLS endpoint needs this transport as its datagram sender. */
    void attach(DtlsEndpoint dtls) {
        this.dtls = dtls;
    }

    /**
     * Sets who receives this transport's media and events. Called once, before the answer that lets
     * the peer reach this transport is sent.
     */
    public void handleWith(TransportHandler handler) {
        this.handler = handler;
        if (closed.get()) {
            // Closed before anyone listened: tell the handler (its close is idempotent).
            handler.onClosed(this, "closed before start");
        }
    }

    public String id() {
        return id;
    }

    TransportCounters counters() {
        return counters;
    }

    /** Makes this a transport we dial: {@code dialer} checks over {@code socket} once {@link #startDialing()} runs. */
    void dialWith(IceDialer dialer, org.sluice.core.net.DialSocket socket) {
        this.dialer = dialer;
        this.dialSocket = socket;
    }

    /** Whether we dialed the peer (a relay to another node) rather than being dialed. */
    public boolean isDialed() {
        return dialer != null;
    }

    /**
     * For a transport we dial ({@link TransportFactory#dial}): starts the connectivity checks. Call after
     * {@link #handleWith}. Any thread.
     */
    public void startDialing() {
        IceDialer d = dialer;
        org.sluice.core.net.DialSocket socket = dialSocket;
        if (d == null || socket == null) {
            throw new IllegalStateException("transport " + id + " is not dialed");
        }
        socket.loop().eventLoop().execute(() -> {
            if (!closed.get()) {
                d.start(socket);
            }
        });
    }

    /** An authentic answer to one of our checks: proof the peer is there, as an authenticated packet is. On the loop. */
    void onDialedCheckAnswered() {
        authenticatedPackets++;
    }

    /** Our nominating check to {@code remote} over {@code path} succeeded: it is the path, and DTLS starts. On the loop. */
    void useDialedPath(InetSocketAddress remote, PacketPath path) {
        if (closed.get()) {
            return;
        }
        selectedPath = path;
        selectedRemote = remote;
        log.debug("transport {} dialed {}", id, remote);
        if (!dtlsStarted) {
            dtlsStarted = true;
            dtls.start();
        }
    }

    public IceLiteAgent ice() {
        return ice;
    }

    /** The loop this transport lives on, or {@code null} before its first valid check. */
    public MediaLoop loop() {
        return owner.get();
    }

    public boolean isConnected() {
        return outboundSrtp != null && !closed.get();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** The selected path's kind, for diagnostics: "udp", "tcp" or "none". */
    public String selectedPathKind() {
        PacketPath path = selectedPath;
        return path == null ? "none" : path.isTcp() ? "tcp" : "udp";
    }

    /** Outbound SRTP (ours); only on this transport's loop, and only once connected. */
    @Override
    public SrtpSession outboundSrtp() {
        return outboundSrtp;
    }

    @Override
    public ByteBufAllocator alloc() {
        MediaLoop loop = owner.get();
        return loop == null ? ByteBufAllocator.DEFAULT : loop.alloc();
    }

    /**
     * Gives up the transport if no loop claims it within the ICE start timeout: a peer that never
     * sends a single check (a WHIP client that posted its offer and vanished) would otherwise keep
     * its transport and session forever, since the periodic check only starts with the claim. The
     * watch runs on {@code loop} and touches only the owner reference and the creation time.
     */
    void watchStart(MediaLoop loop) {
        try {
            startWatch = loop.eventLoop().scheduleAtFixedRate(this::checkClaimed,
                    CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            close("media loops stopped");
        }
    }

    private void checkClaimed() {
        if (owner.get() != null || closed.get()) {
            stopStartWatch();
        } else if (nanoClock.getAsLong() - createdNanos > ICE_START_TIMEOUT_NANOS) {
            close("ice: no check");
        }
    }

    private void stopStartWatch() {
        ScheduledFuture<?> watch = startWatch;
        if (watch != null) {
            watch.cancel(false);
        }
    }

    /** Claims {@code loop} as owner if nobody has; returns the owner. */
    MediaLoop claim(MediaLoop loop) {
        if (owner.compareAndSet(null, loop)) {
            stopStartWatch();
            loop.secondTicker().add(periodicCheck);
            return loop;
        }
        return owner.get();
    }

    /** A packet from {@code sender} via {@code path}; on the owner loop. Takes ownership of the buffer. */
    void onPacket(ByteBuf packet, InetSocketAddress sender, PacketPath path) {
        try {
            if (closed.get()) {
                return;
            }
            switch (PacketClass.of(packet)) {
                case STUN -> onStun(packet, sender, path);
                case DTLS -> onDtls(packet, sender);
                case RTP_OR_RTCP -> onSrtp(packet, sender);
                default -> counters.unknownPacketClass.increment();
            }
        } finally {
            packet.release();
        }
    }

    private void onStun(ByteBuf packet, InetSocketAddress sender, PacketPath path) {
        if (!stunView.wrap(packet)) {
            counters.stunMalformed.increment();
            return;
        }
        ByteBuf response = path.loop().alloc().directBuffer(256);
        IceCheckOutcome outcome;
        try {
            outcome = ice.handleRequest(stunView, sender, path.isTcp() ? TransportKind.TCP : TransportKind.UDP, response);
        } catch (RuntimeException e) {
            response.release();
            counters.stunMalformed.increment();
            return;
        }
        if (response.isReadable()) {
            path.send(response, sender);
        } else {
            response.release();
        }
        switch (outcome) {
            case VALID, NOMINATED -> onValidCheck(sender, path, outcome == IceCheckOutcome.NOMINATED);
            case IGNORED -> counters.stunMalformed.increment();
            default -> counters.stunRejected.increment();
        }
    }

    private void onValidCheck(InetSocketAddress sender, PacketPath path, boolean nominated) {
        directory.bind(this, sender, path);
        if (selectedPath == null || nominated || !selectedPath.isOpen()) {
            if (!sender.equals(selectedRemote) || selectedPath != path) {
                log.debug("transport {} path {} {}", id, path.isTcp() ? "tcp" : "udp", sender);
            }
            selectedPath = path;
            selectedRemote = sender;
        }
        if (!dtlsStarted) {
            dtlsStarted = true;
            dtls.start();
        }
    }

    private void onDtls(ByteBuf packet, InetSocketAddress sender) {
        if (selectedPath == null) {
            counters.dtlsBeforeIce.increment();
            return;
        }
        dtls.receive(packet);
    }

    private void onSrtp(ByteBuf packet, InetSocketAddress sender) {
        SrtpSession inbound = inboundSrtp;
        if (inbound == null) {
            counters.mediaBeforeKeys.increment();
            return;
        }
        if (RtpPackets.isRtcp(packet, packet.readerIndex())) {
            SrtpResult rtcpResult = inbound.unprotectRtcp(packet);
            if (rtcpResult != SrtpResult.OK) {
                if (rtcpResult != SrtpResult.STREAM_LIMIT) { // those are counted by the periodic check
                    counters.srtcpFailed.increment();
                }
                return;
            }
            authenticatedPackets++;
            handler.onRtcp(this, packet);
            return;
        }
        SrtpResult result = inbound.unprotectRtp(packet);
        if (result != SrtpResult.OK) {
            switch (result) {
                case AUTH_FAILED -> counters.srtpAuthFailed.increment();
                case REPLAYED -> counters.srtpReplayed.increment();
                case STREAM_LIMIT -> { } // counted with the outbound refusals by the periodic check
                default -> counters.srtpMalformed.increment();
            }
            return;
        }
        authenticatedPackets++;
        handler.onRtp(this, packet);
    }

    /**
     * ICE restart: new local credentials and the peer's new ones. The previous generation keeps
     * working until a check with the new one succeeds. Runs on the owner loop if there is one.
     */
    IceCredentials restartIce(IceCredentials remote) {
        MediaLoop loop = owner.get();
        if (loop == null || loop.inLoop()) {
            return ice.restart(remote);
        }
        try {
            return loop.eventLoop().submit(() -> ice.restart(remote)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ICE restart did not complete on the transport's loop", e);
        }
    }

    /** Sends an already protected packet on the selected path; takes ownership. On the owner loop. */
    @Override
    public void sendProtected(ByteBuf packet) {
        PacketPath path = selectedPath;
        if (path == null || closed.get()) {
            packet.release();
            return;
        }
        path.send(packet, selectedRemote);
    }

    @Override
    public void streamEnded(long ssrc) {
        retireOutboundStream(ssrc);
    }

    /** Installs (or with null removes) the receiver's congestion control; on the owner loop. */
    public void useCongestionControl(CongestionController controller) {
        this.congestion = controller;
    }

    @Override
    public int nextTransportSequence() {
        CongestionController c = congestion;
        return c == null ? -1 : c.nextSequence();
    }

    @Override
    public void sendMedia(ByteBuf packet, int transportSequence, PacingClass cls) {
        CongestionController c = congestion;
        if (c == null || transportSequence < 0) {
            sendProtected(packet);
        } else {
            c.send(packet, transportSequence, cls);
        }
    }

    /** Protects a plain RTCP packet with our keys and sends it. Does not take ownership. On the owner loop. */
    public void sendRtcp(ByteBuf plainRtcp) {
        SrtpSession outbound = outboundSrtp;
        if (outbound == null || selectedPath == null) {
            return;
        }
        ByteBuf out = alloc().directBuffer(plainRtcp.readableBytes() + outbound.rtcpOverhead());
        if (outbound.protectRtcp(plainRtcp, out) == SrtpResult.OK) {
            sendProtected(out);
        } else {
            out.release();
        }
    }

    /**
     * Carries data channels over this transport's DTLS (any thread, once): SCTP starts when DTLS is connected,
     * or at once if it already is.
     */
    public void useDataChannels(SctpOverDtls sctp) {
        this.dataChannels = sctp;
        if (closed.get()) {
            sctp.close();
        } else if (dtlsConnected) {
            sctp.start();
        }
    }

    /** Our DTLS role (data channel stream ids: even for the client, odd for the server). */
    public DtlsRole dtlsRole() {
        return dtls.role();
    }

    /** Sends one SCTP packet as a DTLS application record; on the data channel thread. */
    public boolean sendApplicationData(byte[] packet, int offset, int length) {
        return !closed.get() && dtls.sendApplicationData(packet, offset, length);
    }

    /** DTLS application data (SCTP) from a DTLS thread; dropped and counted without data channels. */
    void onApplicationData(byte[] data, int offset, int length) {
        SctpOverDtls sctp = dataChannels;
        if (sctp == null) {
            counters.applicationDataDropped.increment();
            return;
        }
        sctp.receive(data, offset, length);
    }

    /**
     * Called by DTLS threads: hand a handshake datagram to the owner loop. Also while closing, so that the
     * close_notify {@link #close} has DTLS send reaches the peer.
     */
    void sendDtlsDatagram(byte[] data, int offset, int length) {
        MediaLoop loop = owner.get();
        if (loop == null) {
            return;
        }
        ByteBuf buf = loop.alloc().directBuffer(length);
        buf.writeBytes(data, offset, length);
        try {
            loop.eventLoop().execute(() -> {
                PacketPath path = selectedPath;
                if (path == null || !path.isOpen()) {
                    buf.release();
                    return;
                }
                path.send(buf, selectedRemote);
            });
        } catch (RejectedExecutionException e) {
            buf.release(); // the loop is shutting down (a close_notify sent as the server stops)
        }
    }

    void onDtlsConnected(DtlsEndpoint.SrtpKeyMaterial keys, long handshakeNanos) {
        counters.dtlsHandshakes.increment();
        counters.dtlsHandshakeNanos.add(handshakeNanos);
        dtlsConnected = true;
        SctpOverDtls sctp = dataChannels;
        if (sctp != null) {
            sctp.start();
        }
        MediaLoop loop = owner.get();
        if (loop == null) {
            return;
        }
        loop.eventLoop().execute(() -> {
            if (closed.get()) {
                return;
            }
            inboundSrtp = new SrtpSession(keys.profile(), keys.remoteMasterKey(), keys.remoteMasterSalt(), srtpConfig);
            outboundSrtp = new SrtpSession(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(), srtpConfig);
            log.debug("transport {} connected with {}", id, keys.profile());
            handler.onConnected(this);
        });
    }

    void onDtlsFailed(String reason) {
        counters.dtlsFailures.increment();
        close("dtls: " + reason);
    }

    /**
     * Our RTP stream {@code ssrc} toward the peer ended (a subscription ended): its outbound SRTP state stops
     * counting against the stream limit. Any thread; done on the owner loop, after what is queued there.
     */
    public void retireOutboundStream(long ssrc) {
        onLoop(() -> {
            SrtpSession outbound = outboundSrtp;
            if (outbound != null) {
                outbound.retireStream(ssrc);
            }
        });
    }

    /** The peer's RTP stream {@code ssrc} ended (its publication is over); as {@link #retireOutboundStream}. */
    public void retireInboundStream(long ssrc) {
        onLoop(() -> {
            SrtpSession inbound = inboundSrtp;
            if (inbound != null) {
                inbound.retireStream(ssrc);
            }
        });
    }

    private void onLoop(Runnable task) {
        MediaLoop loop = owner.get();
        if (loop == null || closed.get()) {
            return;
        }
        if (loop.inLoop()) {
            task.run();
            return;
        }
        try {
            loop.eventLoop().execute(task);
        } catch (RejectedExecutionException stopped) {
            // The loops are stopping; the sessions go with them.
        }
    }

    /** Counts and logs packets refused at the SRTP stream limit since the last check; on the owner loop. */
    private void checkStreamLimit() {
        SrtpSession in = inboundSrtp;
        SrtpSession out = outboundSrtp;
        if (in == null || out == null) {
            return;
        }
        long refusals = in.streamLimitRefusals() + out.streamLimitRefusals();
        long fresh = refusals - streamLimitRefusalsSeen;
        if (fresh > 0) {
            streamLimitRefusalsSeen = refusals;
            counters.srtpStreamLimit.add(fresh);
            log.warn("transport {}: {} SRTP packet(s) dropped at the stream limit of {} (active streams: {} in, {} out)",
                    id, fresh, srtpConfig.maxStreams(), in.streamCount(), out.streamCount());
        }
    }

    /** Once a second on the owner loop; false once the transport is closed (its ticker then drops it). */
    private boolean periodicCheck() {
        if (closed.get()) {
            return false;
        }
        checkStreamLimit();
        long now = nanoClock.getAsLong();
        if (authenticatedPackets != authenticatedAtLastCheck) {
            authenticatedAtLastCheck = authenticatedPackets;
            lastAuthenticatedNanos = now;
        }
        if (selectedPath == null && now - createdNanos > ICE_START_TIMEOUT_NANOS) {
            close("ice: no valid check");
        } else if (selectedPath != null && !alive(now)) {
            close("ice: consent expired");
        }
        return !closed.get();
    }

    /**
     * Whether the peer is still there: a valid ICE check, or an SRTP or SRTCP packet that passed
     * authentication, arrived within the consent timeout. Only the peer holds its SRTP keys, so its
     * authenticated media proves it as well as a check does; many clients (Pion among them) send no
     * checks while media and RTCP flow. Media is noticed by the once-a-second check through a packet
     * counter, so the packet path reads no clock for it.
     */
    private boolean alive(long now) {
        return !ice.consentExpired(now) || now - lastAuthenticatedNanos < ice.consentTimeoutNanos();
    }

    /** Ends the transport (idempotent, any thread): DTLS close_notify, unbinds addresses, tells the handler. */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        counters.transportsClosed.increment();
        log.debug("transport {} closed: {}", id, reason);
        MediaLoop claimed = owner.get();
        if (claimed != null) {
            claimed.secondTicker().remove(periodicCheck);
        }
        stopStartWatch();
        SctpOverDtls sctp = dataChannels;
        if (sctp != null) {
            sctp.close();
        }
        if (dtls != null) {
            dtls.close();
        }
        directory.remove(this);
        IceDialer d = dialer;
        if (d != null) {
            d.stop();
        }
        TransportHandler h = handler;
        if (h != null) {
            MediaLoop loop = owner.get();
            if (loop == null || loop.inLoop()) {
                h.onClosed(this, reason);
            } else {
                loop.eventLoop().execute(() -> h.onClosed(this, reason));
            }
        }
    }

    @Override
    public String toString() {
        return "transport " + id;
    }
}
