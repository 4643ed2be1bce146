package org.sluice.core.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * One SCTP association (RFC 9260) in the WebRTC profile (RFC 8831, over DTLS per RFC 8261): the
 * four-way handshake with a signed state cookie, DATA with fragmentation and reassembly, SACK with
 * gap blocks, RTO and retransmission, congestion control with fast retransmit, partial reliability
 * by FORWARD-TSN (RFC 3758), outgoing stream reset (RFC 6525), HEARTBEAT, ABORT and SHUTDOWN.
 *
 * <p>No I/O and no threads: the owner feeds packets to {@link #receive}, sends what reaches the
 * {@link Output}, and calls {@link #onTimer()} at {@link #nextTimerNanos()}. The clock is injected.
 * All methods must be called from one thread at a time. Hostile input never throws out of
 * {@link #receive}: it is dropped and counted in {@link SctpCounters}.
 */
public final class SctpAssociation {

    /** Where packets go (the DTLS layer, as application data). */
    @FunctionalInterface
    public interface Output {
        void send(byte[] packet);
    }

    /** States of RFC 9260 §4; LISTEN is CLOSED-but-accepting (answers INIT statelessly). */
    public enum State {
        LISTEN, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT, SHUTDOWN_RECEIVED,
        SHUTDOWN_ACK_SENT, CLOSED
    }

    public static final String REASON_SHUTDOWN = "shutdown";
    public static final String REASON_PEER_ABORT = "peer abort";
    public static final String REASON_LOCAL_ABORT = "local abort";
    public static final String REASON_TIMEOUT = "peer stopped acknowledging";
    public static final String REASON_INIT_TIMEOUT = "handshake timeout";
    public static final String REASON_INIT_FLOOD = "peer flooded INIT";

    private static final long NONE = Long.MAX_VALUE;
    private static final int STREAMS = 65535;
    private static final int MAX_BURST = 4;

    private final SctpSettings settings;
    private final LongSupplier clock;
    private final Output output;
    private final SctpListener listener;
    private final SctpCounters counters;
    private final StateCookie cookies;
    private final SctpPacketView view = new SctpPacketView();
    private final ChunkReader reader = new ChunkReader();
    private final PacketBuilder builder;
    private final int localTag;
    private final int localInitialTsn;

    private State state = State.LISTEN;
    private int peerTag;
    private boolean peerForwardTsn;
    private InboundData inbound;

    // Sending
    private final ArrayDeque<OutboundMessage> pending = new ArrayDeque<>();
    private final ArrayList<SentChunk> sent = new ArrayList<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private final List<byte[]> control = new ArrayList<>();
    private int pendingBytes;
    private int nextTsn;
    private int cumulativeAck;
    private long peerWindow;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private int fastRecoveryExit;
    private int errorCount;
    private long srtt = -1;
    private long rttvar;
    private long rto;

    // Receiving
    private int dataPacketsSinceSack;
    private boolean sackNeeded;

    // Handshake
    private byte[] initChunk;
    private byte[] cookieEchoChunk;
    private int initRetransmits;
    private int initsWhileEstablished;

    // Stream reset (RFC 6525)
    private int nextReconfigSeq;
    private int peerNextReconfigSeq;
    private int lastPeerReconfigSeq;
    private int lastPeerReconfigResult;
    private int[] outstandingReset;
    private int outstandingResetSeq;
    private final ArrayDeque<Integer> resetQueue = new ArrayDeque<>();
    private int[] pendingPeerReset;
    private long pendingPeerResetTsn;

    // Timers (absolute nanos, NONE when off)
    private long t1 = NONE;
    private long t2 = NONE;
    private long t3 = NONE;
    private long ackTimer = NONE;
    private long heartbeatTimer = NONE;
    private long reconfigTimer = NONE;
    private int heartbeatsUnanswered;
    private int shutdownRetransmits;
    private long lastSendNanos;

    /**
     * @param cookieSecret key for the HMAC of our state cookies (at least 16 random bytes)
     * @param random       source of our verification tag and initial TSN
     */
    public SctpAssociation(SctpSettings settings, LongSupplier nanoClock, Random random, byte[] cookieSecret,
                           Output output, SctpListener listener, SctpCounters counters) {
        this.settings = settings;
        this.clock = nanoClock;
        this.output = output;
        this.listener = listener;
        this.counters = counters;
        this.cookies = new StateCookie(cookieSecret);
        this.builder = new PacketBuilder(settings.mtu(), settings.port(), settings.port());
        int tag;
        do {
            tag = random.nextInt();
        } while (tag == 0);
        this.localTag = tag;
        this.localInitialTsn = random.nextInt();
        this.nextTsn = localInitialTsn;
        this.cumulativeAck = localInitialTsn - 1;
        this.nextReconfigSeq = localInitialTsn;
        this.rto = settings.rtoInitial().toNanos();
        this.cwnd = Math.min(4L * settings.mtu(), Math.max(2L * settings.mtu(), 4380));
        this.ssthresh = settings.receiveWindow();
    }

    public State state() {
        return state;
    }

    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    public SctpCounters counters() {
        return counters;
    }

    public int maxMessageSize() {
        return settings.maxMessageSize();
    }

    /** Bytes accepted by {@link #send} and not yet acknowledged or abandoned. */
    public int bufferedAmount() {
        int inFlight = 0;
        for (SentChunk c : sent) {
            if (!c.abandoned) {
                inFlight += c.length;
            }
        }
        return pendingBytes + inFlight;
    }

    /** Starts the handshake as the initiator (sends INIT). WebRTC endpoints both do this; collisions resolve. */
    public void connect() {
        if (state != State.LISTEN) {
            return;
        }
        initChunk = initChunk(Chunks.INIT, null);
        state = State.COOKIE_WAIT;
        sendStandalone(0, initChunk);
        t1 = now() + rto;
    }

    // ------------------------------------------------------------------------------------------
    // Sending messages

    /**
     * Queues a message. {@code maxRetransmits} &lt; 0 and {@code lifetimeMillis} &lt; 0 mean
     * reliable. False (counted) when not established, empty, larger than the maximum message size,
     * or the send buffer is full.
     */
    public boolean send(int streamId, int ppid, byte[] data, boolean unordered, int maxRetransmits,
                        long lifetimeMillis) {
        if (state != State.ESTABLISHED || data == null || data.length == 0
                || data.length > settings.maxMessageSize() || streamId < 0 || streamId >= STREAMS
                || pendingBytes + data.length > settings.maxPendingBytes()) {
            counters.sendsRefused.increment();
            return false;
        }
        long expires = lifetimeMillis < 0 ? NONE : now() + lifetimeMillis * 1_000_000L;
        pending.add(new OutboundMessage(streamId, ppid, data, unordered, maxRetransmits, expires));
        pendingBytes += data.length;
        counters.messagesSent.increment();
        flush();
        return true;
    }

    /** Resets our outgoing side of these streams (RFC 6525); data channels close this way. */
    public void resetStreams(int... streamIds) {
        if (state != State.ESTABLISHED) {
            return;
        }
        for (int sid : streamIds) {
            if (sid >= 0 && sid < STREAMS && !resetQueue.contains(sid)) {
                resetQueue.add(sid);
            }
        }
        startReset();
        flush();
    }

    /** Graceful close: sends SHUTDOWN once everything sent is acknowledged. */
    public void shutdown() {
        if (state == State.ESTABLISHED) {
            state = State.SHUTDOWN_PENDING;
            maybeShutdown();
            flush();
        } else if (state == State.LISTEN || state == State.COOKIE_WAIT || state == State.COOKIE_ECHOED) {
            close(REASON_SHUTDOWN);
        }
    }

    /** Sends ABORT and ends the association at once. */
    public void abort() {
        abort(REASON_LOCAL_ABORT);
    }

    private void abort(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (peerTag != 0) {
            sendStandalone(peerTag, new byte[] {(byte) Chunks.ABORT, 0, 0, 4});
        }
        counters.associationsAborted.increment();
        close(reason);
    }

    // ------------------------------------------------------------------------------------------
    // Timers

    /** When {@link #onTimer()} should run next, or {@link Long#MAX_VALUE}. */
    public long nextTimerNanos() {
        if (state == State.CLOSED) {
            return NONE;
        }
        return Math.min(Math.min(Math.min(t1, t2), Math.min(t3, ackTimer)), Math.min(heartbeatTimer, reconfigTimer));
    }

    /** Runs every timer that is due. */
    public void onTimer() {
        long now = now();
        if (state == State.CLOSED) {
            return;
        }
        if (t1 <= now) {
            onT1();
        }
        if (t2 <= now && state != State.CLOSED) {
            onT2();
        }
        if (t3 <= now && state != State.CLOSED) {
            onT3();
        }
        if (ackTimer <= now && state != State.CLOSED) {
            ackTimer = NONE;
            sackNeeded = true;
        }
        if (reconfigTimer <= now && state != State.CLOSED) {
            reconfigTimer = NONE;
            if (outstandingReset != null) {
                control.add(reconfigRequest(outstandingResetSeq, outstandingReset));
                reconfigTimer = now + rto;
            }
        }
        if (heartbeatTimer <= now && state != State.CLOSED) {
            onHeartbeatTimer(now);
        }
        if (state != State.CLOSED) {
            flush();
        }
    }

    private void onT1() {
        t1 = NONE;
        if (++initRetransmits > settings.maxInitRetransmits()) {
            close(REASON_INIT_TIMEOUT);
            return;
        }
        rto = Math.min(rto * 2, settings.rtoMax().toNanos());
        if (state == State.COOKIE_WAIT) {
            sendStandalone(0, initChunk);
        } else if (state == State.COOKIE_ECHOED) {
            sendStandalone(peerTag, cookieEchoChunk);
        } else {
            return;
        }
        t1 = now() + rto;
    }

    private void onT2() {
        t2 = NONE;
        if (++shutdownRetransmits > settings.maxRetransmits()) {
            abort(REASON_TIMEOUT);
            return;
        }
        if (state == State.SHUTDOWN_SENT) {
            control.add(shutdownChunk());
        } else if (state == State.SHUTDOWN_ACK_SENT) {
            control.add(new byte[] {(byte) Chunks.SHUTDOWN_ACK, 0, 0, 4});
        }
        t2 = now() + rto;
    }

    private void onT3() {
        t3 = NONE;
        counters.retransmissionTimeouts.increment();
        if (++errorCount > settings.maxRetransmits()) {
            counters.associationsTimedOut.increment();
            abort(REASON_TIMEOUT);
            return;
        }
        rto = Math.min(rto * 2, settings.rtoMax().toNanos());
        ssthresh = Math.max(cwnd / 2, 4L * settings.mtu());
        cwnd = settings.mtu();
        partialBytesAcked = 0;
        fastRecovery = false;
        long now = now();
        for (SentChunk c : sent) {
            if (!c.gapAcked && !c.abandoned) {
                markForRetransmit(c, now);
            }
        }
        advancePeerAckPoint();
        if (hasOutstanding()) {
            t3 = now + rto;
        }
    }

    private void onHeartbeatTimer(long now) {
        heartbeatTimer = NONE;
        if (state != State.ESTABLISHED) {
            return;
        }
        if (now - lastSendNanos >= settings.heartbeatInterval().toNanos()) {
            if (++heartbeatsUnanswered > settings.maxRetransmits()) {
                counters.associationsTimedOut.increment();
                abort(REASON_TIMEOUT);
                return;
            }
            byte[] hb = new byte[4 + 4 + 8];
            hb[0] = (byte) Chunks.HEARTBEAT;
            put16(hb, 2, hb.length);
            put16(hb, 4, Chunks.PARAM_HEARTBEAT_INFO);
            put16(hb, 6, 12);
            putLong(hb, 8, now);
            control.add(hb);
        }
        heartbeatTimer = now + settings.heartbeatInterval().toNanos();
    }

    // ------------------------------------------------------------------------------------------
    // Receiving packets

    /** Takes one SCTP packet (a DTLS application record). Never throws; bad input is counted and dropped. */
    public void receive(byte[] data, int offset, int length) {
        counters.packetsReceived.increment();
        if (state == State.CLOSED) {
            return;
        }
        if (!view.wrap(data, offset, length)) {
            counters.packetsMalformed.increment();
            return;
        }
        if (view.destinationPort() != settings.port()) {
            counters.packetsBadTag.increment();
            return;
        }
        try {
            receiveChunks();
        } catch (RuntimeException e) {
            counters.chunksMalformed.increment(); // a bug or a shape the checks missed: drop, keep running
        }
        if (state != State.CLOSED) {
            flush();
        }
    }

    private void receiveChunks() {
        int tag = view.verificationTag();
        boolean first = true;
        boolean hadData = false;
        while (view.nextChunk() && state != State.CLOSED) {
            int type = view.chunkType();
            int flags = view.chunkFlags();
            reader.wrap(view.buffer(), view.valueOffset(), view.valueLength());
            if (type == Chunks.INIT) {
                if (!first || tag != 0 || view.chunkCount() != 1) {
                    counters.chunksMalformed.increment();
                    return;
                }
                onInit();
                return;
            }
            boolean reflected = (type == Chunks.ABORT || type == Chunks.SHUTDOWN_COMPLETE)
                    && (flags & Chunks.FLAG_T) != 0;
            if (reflected ? (peerTag == 0 || tag != peerTag) : tag != localTag) {
                counters.packetsBadTag.increment();
                return;
            }
            first = false;
            switch (type) {
                case Chunks.DATA -> hadData |= onData(flags);
                case Chunks.SACK -> onSack();
                case Chunks.INIT_ACK -> onInitAck();
                case Chunks.COOKIE_ECHO -> onCookieEcho();
                case Chunks.COOKIE_ACK -> onCookieAck();
                case Chunks.HEARTBEAT -> onHeartbeat();
                case Chunks.HEARTBEAT_ACK -> heartbeatsUnanswered = 0;
                case Chunks.ABORT -> {
                    counters.associationsAborted.increment();
                    close(REASON_PEER_ABORT);
                    return;
                }
                case Chunks.SHUTDOWN -> onShutdown();
                case Chunks.SHUTDOWN_ACK -> onShutdownAck();
                case Chunks.SHUTDOWN_COMPLETE -> {
                    if (state == State.SHUTDOWN_ACK_SENT) {
                        close(REASON_SHUTDOWN);
                        return;
                    }
                }
                case Chunks.FORWARD_TSN -> onForwardTsn();
                case Chunks.RE_CONFIG -> onReconfig();
                case Chunks.ERROR -> { }
                default -> {
                    int action = type >>> 6;
                    if (action == 0 || action == 1) {
                        counters.chunksMalformed.increment();
                        return; // "stop processing this packet"
                    }
                }
            }
        }
        if (hadData) {
            afterData();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Handshake

    private byte[] initChunk(int type, byte[] cookie) {
        int length = 20 + 8 + 4 + (cookie == null ? 0 : Chunks.padded(4 + cookie.length));
        byte[] c = new byte[Chunks.padded(length)];
        c[0] = (byte) type;
        put16(c, 2, length);
        put32(c, 4, localTag);
        put32(c, 8, settings.receiveWindow());
        put16(c, 12, STREAMS);
        put16(c, 14, STREAMS);
        put32(c, 16, localInitialTsn);
        int p = 20;
        put16(c, p, Chunks.PARAM_SUPPORTED_EXTENSIONS);
        put16(c, p + 2, 6);
        c[p + 4] = (byte) Chunks.RE_CONFIG;
        c[p + 5] = (byte) Chunks.FORWARD_TSN;
        p += 8;
        put16(c, p, Chunks.PARAM_FORWARD_TSN_SUPPORTED);
        put16(c, p + 2, 4);
        p += 4;
        if (cookie != null) {
            put16(c, p, Chunks.PARAM_STATE_COOKIE);
            put16(c, p + 2, 4 + cookie.length);
            System.arraycopy(cookie, 0, c, p + 4, cookie.length);
        }
        return c;
    }

    /** The fixed part of INIT and INIT ACK and the parameters we use; null if malformed. */
    private record InitFields(int tag, int window, int outStreams, int inStreams, int initialTsn,
                              boolean forwardTsn, int cookieOffset, int cookieLength) {
    }

    private InitFields readInit() {
        if (!reader.has(16)) {
            return null;
        }
        int tag = reader.i32(0);
        int outStreams = reader.u16(8);
        int inStreams = reader.u16(10);
        if (tag == 0 || outStreams == 0 || inStreams == 0) {
            return null;
        }
        boolean[] forward = new boolean[1];
        int[] cookie = {-1, 0};
        byte[] buf = reader.buffer();
        boolean ok = reader.forEachParameter(16, (type, at, len) -> {
            if (type == Chunks.PARAM_FORWARD_TSN_SUPPORTED) {
                forward[0] = true;
            } else if (type == Chunks.PARAM_SUPPORTED_EXTENSIONS) {
                for (int i = 0; i < len; i++) {
                    forward[0] |= (buf[at + i] & 0xff) == Chunks.FORWARD_TSN;
                }
            } else if (type == Chunks.PARAM_STATE_COOKIE) {
                cookie[0] = at;
                cookie[1] = len;
            }
        });
        if (!ok) {
            return null;
        }
        return new InitFields(tag, reader.i32(4), outStreams, inStreams, reader.i32(12), forward[0], cookie[0],
                cookie[1]);
    }

    private void onInit() {
        InitFields init = readInit();
        if (init == null) {
            counters.chunksMalformed.increment();
            return;
        }
        if (state == State.ESTABLISHED || state.ordinal() > State.ESTABLISHED.ordinal()) {
            if (++initsWhileEstablished > settings.maxInitsEstablished()) {
                counters.associationsInitFlood.increment();
                abort(REASON_INIT_FLOOD);
                return;
            }
        }
        byte[] cookie = cookies.seal(new StateCookie.Contents(localTag, localInitialTsn, init.tag(),
                init.initialTsn(), init.window(), init.outStreams(), init.inStreams(), now(), init.forwardTsn()));
        sendStandalone(init.tag(), initChunk(Chunks.INIT_ACK, cookie));
    }

    private void onInitAck() {
        if (state != State.COOKIE_WAIT) {
            return;
        }
        InitFields ack = readInit();
        if (ack == null || ack.cookieOffset() < 0) {
            counters.chunksMalformed.increment();
            return;
        }
        t1 = NONE;
        adoptPeer(ack.tag(), ack.initialTsn(), ack.window(), ack.forwardTsn());
        cookieEchoChunk = new byte[Chunks.padded(4 + ack.cookieLength())];
        cookieEchoChunk[0] = (byte) Chunks.COOKIE_ECHO;
        put16(cookieEchoChunk, 2, 4 + ack.cookieLength());
        System.arraycopy(reader.buffer(), ack.cookieOffset(), cookieEchoChunk, 4, ack.cookieLength());
        state = State.COOKIE_ECHOED;
        initRetransmits = 0;
        sendStandalone(peerTag, cookieEchoChunk);
        t1 = now() + rto;
    }

    private void onCookieEcho() {
        StateCookie.Contents c = cookies.open(reader.buffer(), reader.absolute(0), reader.length(), now(),
                settings.cookieLifetime().toNanos());
        if (c == null || c.localTag() != localTag) {
            counters.cookiesRejected.increment();
            return;
        }
        if (state == State.ESTABLISHED || state.ordinal() > State.ESTABLISHED.ordinal()) {
            if (c.peerTag() == peerTag) {
                control.add(new byte[] {(byte) Chunks.COOKIE_ACK, 0, 0, 4}); // our COOKIE ACK was lost
            } else {
                counters.cookiesRejected.increment(); // a restart: not supported, the old association stays
            }
            return;
        }
        if (state == State.LISTEN || state == State.COOKIE_WAIT || peerTag != c.peerTag()) {
            adoptPeer(c.peerTag(), c.peerInitialTsn(), c.peerWindow(), c.peerForwardTsn());
        }
        control.add(new byte[] {(byte) Chunks.COOKIE_ACK, 0, 0, 4});
        established();
    }

    private void onCookieAck() {
        if (state == State.COOKIE_ECHOED) {
            established();
        }
    }

    private void adoptPeer(int tag, int initialTsn, int window, boolean forwardTsn) {
        peerTag = tag;
        peerForwardTsn = forwardTsn;
        peerWindow = window & 0xffffffffL;
        peerNextReconfigSeq = initialTsn;
        lastPeerReconfigSeq = initialTsn - 1;
        lastPeerReconfigResult = Chunks.RESULT_SUCCESS_NOTHING;
        inbound = new InboundData(initialTsn, settings.receiveWindow(), settings.maxMessageSize(), counters,
                listener::onMessage);
    }

    private void established() {
        t1 = NONE;
        rto = settings.rtoInitial().toNanos();
        state = State.ESTABLISHED;
        counters.associationsEstablished.increment();
        heartbeatTimer = now() + settings.heartbeatInterval().toNanos();
        listener.onEstablished();
    }

    // ------------------------------------------------------------------------------------------
    // DATA and SACK

    private boolean onData(int flags) {
        if (inbound == null || !(state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING
                || state == State.SHUTDOWN_SENT || state == State.COOKIE_ECHOED)) {
            return false;
        }
        if (state == State.COOKIE_ECHOED) {
            established(); // DATA implies the peer got our COOKIE ECHO (the COOKIE ACK may be behind)
        }
        if (!reader.has(Chunks.DATA_HEADER - Chunks.CHUNK_HEADER + 1)) {
            counters.chunksMalformed.increment();
            return false;
        }
        counters.dataChunksReceived.increment();
        int tsn = reader.i32(0);
        int sid = reader.u16(4);
        int ssn = reader.u16(6);
        int ppid = reader.i32(8);
        byte[] payload = reader.copy(12, reader.length() - 12);
        inbound.onData(tsn, sid, ssn, ppid, flags, payload);
        dataPacketsSinceSack++;
        return true;
    }

    private void afterData() {
        performPendingPeerReset();
        if (inbound.hasGaps() || inbound.takeDuplicateSeen() || dataPacketsSinceSack >= 2
                || state != State.ESTABLISHED) {
            sackNeeded = true;
        } else if (ackTimer == NONE) {
            ackTimer = now() + settings.delayedAck().toNanos();
        }
    }

    private void onSack() {
        if (!reader.has(12)) {
            counters.chunksMalformed.increment();
            return;
        }
        int cumAck = reader.i32(0);
        long window = reader.i32(4) & 0xffffffffL;
        int gaps = reader.u16(8);
        int dups = reader.u16(10);
        if (!reader.has(12 + 4 * gaps + 4 * dups)) {
            counters.chunksMalformed.increment();
            return;
        }
        if (cumAck - cumulativeAck < 0 || cumAck - nextTsn >= 0) {
            return; // older than what we know, or acknowledges what we never sent
        }
        long now = now();
        boolean flightWasFull = flightSize() + settings.mtu() > cwnd;
        long bytesAcked = 0;
        int highestNewlyAcked = cumulativeAck;
        SentChunk rttSample = null;
        int acked = cumAck - cumulativeAck;
        for (int i = 0; i < acked && i < sent.size(); i++) {
            SentChunk c = sent.get(i);
            if (!c.gapAcked && !c.abandoned) {
                bytesAcked += c.length;
                if (c.transmissions == 1) {
                    rttSample = c;
                }
            }
            highestNewlyAcked = c.tsn;
        }
        boolean advanced = acked > 0;
        if (advanced) {
            sent.subList(0, Math.min(acked, sent.size())).clear();
            cumulativeAck = cumAck;
            errorCount = 0;
            heartbeatsUnanswered = 0;
        }
        for (int g = 0; g < gaps; g++) {
            int start = reader.u16(12 + 4 * g);
            int end = reader.u16(14 + 4 * g);
            for (int off = start; off <= end && off > 0; off++) {
                int index = off - 1;
                if (index >= sent.size()) {
                    break;
                }
                SentChunk c = sent.get(index);
                if (!c.gapAcked) {
                    c.gapAcked = true;
                    c.retransmit = false;
                    if (c.transmissions == 1 && !c.abandoned) {
                        rttSample = c;
                    }
                    if (c.tsn - highestNewlyAcked > 0) {
                        highestNewlyAcked = c.tsn;
                    }
                }
            }
        }
        if (rttSample != null) {
            measureRtt(now - rttSample.sentNanos);
        }
        if (fastRecovery && cumulativeAck - fastRecoveryExit >= 0) {
            fastRecovery = false;
        }
        if (advanced && bytesAcked > 0 && flightWasFull) {
            if (cwnd <= ssthresh) {
                cwnd += Math.min(bytesAcked, settings.mtu());
            } else {
                partialBytesAcked += bytesAcked;
                if (partialBytesAcked >= cwnd) {
                    partialBytesAcked -= cwnd;
                    cwnd += settings.mtu();
                }
            }
        }
        // Fast retransmit (RFC 9260 §7.2.4): three SACKs reporting a chunk missing below newly acked ones.
        if (gaps > 0) {
            boolean marked = false;
            for (SentChunk c : sent) {
                if (c.tsn - highestNewlyAcked >= 0) {
                    break;
                }
                if (!c.gapAcked && !c.abandoned && !c.retransmit && !c.fastRetransmitted
                        && ++c.missIndications == 3) {
                    // Once per chunk (RFC 9260 §7.2.4): a lost fast retransmission is left to the T3 timer.
                    c.fastRetransmitted = true;
                    if (!fastRecovery) {
                        fastRecovery = true;
                        fastRecoveryExit = nextTsn - 1;
                        ssthresh = Math.max(cwnd / 2, 4L * settings.mtu());
                        cwnd = ssthresh;
                        partialBytesAcked = 0;
                    }
                    markForRetransmit(c, now);
                    if (c.retransmit) {
                        counters.fastRetransmissions.increment();
                    }
                    marked = true;
                }
            }
            if (marked) {
                t3 = now + rto;
            }
        }
        long outstanding = 0;
        for (SentChunk c : sent) {
            if (!c.gapAcked && !c.abandoned) {
                outstanding += c.length;
            }
        }
        peerWindow = Math.max(0, window - outstanding);
        abandonExpired(now);
        advancePeerAckPoint();
        if (!hasOutstanding()) {
            t3 = NONE;
        } else if (advanced) {
            t3 = now + rto;
        }
        maybeShutdown();
    }

    private void measureRtt(long r) {
        if (r < 0) {
            return;
        }
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = Math.max(settings.rtoMin().toNanos(), Math.min(settings.rtoMax().toNanos(), srtt + 4 * rttvar));
    }

    /** Marks a chunk lost; under partial reliability it may be abandoned instead. */
    private void markForRetransmit(SentChunk c, long now) {
        OutboundMessage m = c.message;
        if (m.abandoned || (m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits) || now >= m.expiresNanos) {
            abandon(m);
            return;
        }
        c.retransmit = true;
    }

    private void abandon(OutboundMessage m) {
        if (m.abandoned) {
            return;
        }
        m.abandoned = true;
        counters.messagesAbandoned.increment();
        for (SentChunk c : sent) {
            if (c.message == m) {
                c.abandoned = true;
                c.retransmit = false;
            }
        }
        if (!m.fullySent()) {
            pendingBytes -= m.data.length - m.nextOffset;
            m.nextOffset = m.data.length;
        }
    }

    private void abandonExpired(long now) {
        for (SentChunk c : sent) {
            if (!c.abandoned && !c.gapAcked && now >= c.message.expiresNanos) {
                abandon(c.message);
            }
        }
    }

    /** RFC 3758 §3.5: moves past abandoned chunks at the head and sends FORWARD-TSN when it moved. */
    private void advancePeerAckPoint() {
        if (!peerForwardTsn) {
            return;
        }
        int point = cumulativeAck;
        Map<Integer, Integer> skips = new LinkedHashMap<>();
        for (SentChunk c : sent) {
            if (!c.abandoned) {
                break;
            }
            point = c.tsn;
            if (!c.message.unordered && c.message.ssn >= 0) {
                skips.put(c.message.streamId, c.message.ssn);
            }
        }
        if (point == cumulativeAck) {
            return;
        }
        byte[] chunk = new byte[8 + 4 * skips.size()];
        chunk[0] = (byte) Chunks.FORWARD_TSN;
        put16(chunk, 2, chunk.length);
        put32(chunk, 4, point);
        int p = 8;
        for (Map.Entry<Integer, Integer> e : skips.entrySet()) {
            put16(chunk, p, e.getKey());
            put16(chunk, p + 2, e.getValue());
            p += 4;
        }
        control.removeIf(b -> (b[0] & 0xff) == Chunks.FORWARD_TSN);
        control.add(chunk);
        if (t3 == NONE) {
            t3 = now() + rto;
        }
    }

    private void onForwardTsn() {
        if (inbound == null || !reader.has(4) || (reader.length() - 4) % 4 != 0) {
            counters.chunksMalformed.increment();
            return;
        }
        int pairs = (reader.length() - 4) / 4;
        int[] streams = new int[pairs];
        int[] ssns = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            streams[i] = reader.u16(4 + 4 * i);
            ssns[i] = reader.u16(6 + 4 * i);
        }
        inbound.onForwardTsn(reader.i32(0), streams, ssns);
        performPendingPeerReset();
        sackNeeded = true;
    }

    private boolean hasOutstanding() {
        for (SentChunk c : sent) {
            if (!c.gapAcked && !c.abandoned) {
                return true;
            }
        }
        return !sent.isEmpty();
    }

    private long flightSize() {
        long f = 0;
        for (SentChunk c : sent) {
            if (c.inFlight()) {
                f += c.length;
            }
        }
        return f;
    }

    // ------------------------------------------------------------------------------------------
    // HEARTBEAT, SHUTDOWN

    private void onHeartbeat() {
        byte[] ack = new byte[Chunks.padded(4 + reader.length())];
        ack[0] = (byte) Chunks.HEARTBEAT_ACK;
        put16(ack, 2, 4 + reader.length());
        System.arraycopy(reader.buffer(), reader.absolute(0), ack, 4, reader.length());
        control.add(ack);
    }

    private void onShutdown() {
        if (state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING) {
            state = State.SHUTDOWN_RECEIVED;
        }
        if (state == State.SHUTDOWN_SENT) {
            // Both sides shut down at once: answer with SHUTDOWN ACK (RFC 9260 §9.2).
            state = State.SHUTDOWN_ACK_SENT;
            control.add(new byte[] {(byte) Chunks.SHUTDOWN_ACK, 0, 0, 4});
            t2 = now() + rto;
            return;
        }
        maybeShutdown();
    }

    private void onShutdownAck() {
        if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT) {
            sendStandalone(peerTag, new byte[] {(byte) Chunks.SHUTDOWN_COMPLETE, 0, 0, 4});
            close(REASON_SHUTDOWN);
        }
    }

    private void maybeShutdown() {
        if (!pending.isEmpty() || hasOutstanding()) {
            return;
        }
        if (state == State.SHUTDOWN_PENDING) {
            state = State.SHUTDOWN_SENT;
            control.add(shutdownChunk());
            t2 = now() + rto;
        } else if (state == State.SHUTDOWN_RECEIVED) {
            state = State.SHUTDOWN_ACK_SENT;
            control.add(new byte[] {(byte) Chunks.SHUTDOWN_ACK, 0, 0, 4});
            t2 = now() + rto;
        }
    }

    private byte[] shutdownChunk() {
        byte[] c = new byte[8];
        c[0] = (byte) Chunks.SHUTDOWN;
        put16(c, 2, 8);
        put32(c, 4, inbound == null ? 0 : inbound.cumulativeTsn());
        return c;
    }

    // ------------------------------------------------------------------------------------------
    // Stream reset (RFC 6525)

    private void startReset() {
        if (outstandingReset != null || resetQueue.isEmpty()) {
            return;
        }
        int[] streams = new int[Math.min(resetQueue.size(), 256)];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = resetQueue.poll();
        }
        outstandingReset = streams;
        outstandingResetSeq = nextReconfigSeq++;
        control.add(reconfigRequest(outstandingResetSeq, streams));
        reconfigTimer = now() + rto;
    }

    private byte[] reconfigRequest(int seq, int[] streams) {
        int paramLength = 16 + 2 * streams.length;
        byte[] c = new byte[4 + Chunks.padded(paramLength)];
        c[0] = (byte) Chunks.RE_CONFIG;
        put16(c, 2, 4 + paramLength);
        put16(c, 4, Chunks.PARAM_OUTGOING_RESET_REQUEST);
        put16(c, 6, paramLength);
        put32(c, 8, seq);
        put32(c, 12, lastPeerReconfigSeq);
        put32(c, 16, nextTsn - 1);
        for (int i = 0; i < streams.length; i++) {
            put16(c, 20 + 2 * i, streams[i]);
        }
        return c;
    }

    private void onReconfig() {
        if (inbound == null) {
            return;
        }
        byte[] buf = reader.buffer();
        boolean ok = reader.forEachParameter(0, (type, at, len) -> {
            if (type == Chunks.PARAM_OUTGOING_RESET_REQUEST && len >= 12 && len % 2 == 0) {
                int seq = SctpPacketView.i32(buf, at);
                int lastTsn = SctpPacketView.i32(buf, at + 8);
                int[] streams = new int[(len - 12) / 2];
                for (int i = 0; i < streams.length; i++) {
                    streams[i] = SctpPacketView.u16(buf, at + 12 + 2 * i);
                }
                onPeerResetRequest(seq, lastTsn, streams);
            } else if (type == Chunks.PARAM_RECONFIG_RESPONSE && len >= 8) {
                onReconfigResponse(SctpPacketView.i32(buf, at), SctpPacketView.i32(buf, at + 4));
            }
        });
        if (!ok) {
            counters.chunksMalformed.increment();
        }
    }

    private void onPeerResetRequest(int seq, int lastTsn, int[] streams) {
        if (seq == lastPeerReconfigSeq) {
            control.add(reconfigResponse(seq, lastPeerReconfigResult)); // a retransmission
            return;
        }
        if (seq != peerNextReconfigSeq) {
            control.add(reconfigResponse(seq, Chunks.RESULT_ERROR_BAD_SEQUENCE));
            return;
        }
        peerNextReconfigSeq = seq + 1;
        lastPeerReconfigSeq = seq;
        if (inbound.unwrap(lastTsn) > inbound.unwrap(inbound.cumulativeTsn())) {
            pendingPeerReset = streams;
            pendingPeerResetTsn = inbound.unwrap(lastTsn);
            lastPeerReconfigResult = Chunks.RESULT_IN_PROGRESS;
        } else {
            performPeerReset(streams);
        }
        control.add(reconfigResponse(seq, lastPeerReconfigResult));
    }

    private void performPendingPeerReset() {
        if (pendingPeerReset != null && inbound.unwrap(inbound.cumulativeTsn()) >= pendingPeerResetTsn) {
            int[] streams = pendingPeerReset;
            pendingPeerReset = null;
            performPeerReset(streams);
        }
    }

    private void performPeerReset(int[] streams) {
        inbound.resetStreams(streams);
        lastPeerReconfigResult = Chunks.RESULT_SUCCESS_PERFORMED;
        counters.streamResets.increment();
        listener.onIncomingStreamsReset(streams);
    }

    private byte[] reconfigResponse(int seq, int result) {
        byte[] c = new byte[16];
        c[0] = (byte) Chunks.RE_CONFIG;
        put16(c, 2, 16);
        put16(c, 4, Chunks.PARAM_RECONFIG_RESPONSE);
        put16(c, 6, 12);
        put32(c, 8, seq);
        put32(c, 12, result);
        return c;
    }

    private void onReconfigResponse(int seq, int result) {
        if (outstandingReset == null || seq != outstandingResetSeq) {
            return;
        }
        if (result == Chunks.RESULT_IN_PROGRESS) {
            reconfigTimer = now() + rto; // ask again later with the same sequence number
            return;
        }
        if (result == Chunks.RESULT_SUCCESS_PERFORMED || result == Chunks.RESULT_SUCCESS_NOTHING) {
            for (int sid : outstandingReset) {
                nextSsn.remove(sid);
            }
        }
        outstandingReset = null;
        reconfigTimer = NONE;
        startReset();
    }

    // ------------------------------------------------------------------------------------------
    // Output

    /** Sends queued control chunks, a SACK if due, retransmissions and new DATA as windows allow. */
    private void flush() {
        if (state == State.CLOSED || peerTag == 0) {
            return;
        }
        long now = now();
        builder.reset(peerTag);
        if (sackNeeded && inbound != null) {
            append(sackChunk());
            sackNeeded = false;
            dataPacketsSinceSack = 0;
            ackTimer = NONE;
        }
        for (byte[] c : control) {
            append(c);
        }
        control.clear();
        if (state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_RECEIVED) {
            sendData(now);
        }
        emit();
    }

    private void sendData(long now) {
        long flight = flightSize();
        int packets = 0;
        boolean first = true;
        for (SentChunk c : sent) {
            if (!c.retransmit) {
                continue;
            }
            if (!first && flight + c.length > cwnd) {
                break;
            }
            if (now >= c.message.expiresNanos) {
                abandon(c.message);
                continue;
            }
            first = false;
            c.retransmit = false;
            c.missIndications = 0;
            c.transmissions++;
            c.sentNanos = now;
            counters.retransmissions.increment();
            flight += c.length;
            appendData(c);
        }
        int payloadRoom = settings.mtu() - Chunks.COMMON_HEADER - Chunks.DATA_HEADER;
        while (!pending.isEmpty() && packets < MAX_BURST * 4) {
            OutboundMessage m = pending.peek();
            if (m.abandoned || m.fullySent()) {
                pending.poll();
                continue;
            }
            if (m.nextOffset == 0 && now >= m.expiresNanos) {
                pending.poll();
                pendingBytes -= m.data.length;
                counters.messagesAbandoned.increment();
                continue;
            }
            int length = Math.min(payloadRoom, m.data.length - m.nextOffset);
            boolean zeroWindowProbe = flight == 0;
            if (!zeroWindowProbe && (flight + length > cwnd || length > peerWindow)) {
                break;
            }
            if (m.ssn < 0) {
                m.ssn = m.unordered ? 0 : nextSsn.getOrDefault(m.streamId, 0);
                if (!m.unordered) {
                    nextSsn.put(m.streamId, (m.ssn + 1) & 0xffff);
                }
            }
            int flags = (m.unordered ? Chunks.FLAG_UNORDERED : 0) | (m.nextOffset == 0 ? Chunks.FLAG_BEGIN : 0)
                    | (m.nextOffset + length == m.data.length ? Chunks.FLAG_END : 0);
            SentChunk c = new SentChunk(nextTsn++, m, m.nextOffset, length, flags);
            m.nextOffset += length;
            pendingBytes -= length;
            if (m.fullySent()) {
                pending.poll();
            }
            c.transmissions = 1;
            c.sentNanos = now;
            sent.add(c);
            flight += length;
            peerWindow = Math.max(0, peerWindow - length);
            appendData(c);
        }
        if (hasOutstanding() && t3 == NONE) {
            t3 = now + rto;
        }
    }

    private void appendData(SentChunk c) {
        int chunkLength = Chunks.DATA_HEADER + c.length;
        if (Chunks.padded(chunkLength) > builder.room()) {
            emit();
        }
        builder.beginChunk(Chunks.DATA, c.flags, chunkLength);
        builder.i32(c.tsn);
        builder.u16(c.message.streamId);
        builder.u16(c.message.unordered ? 0 : c.message.ssn);
        builder.i32(c.message.ppid);
        builder.bytes(c.message.data, c.offset, c.length);
        builder.pad();
    }

    private void append(byte[] chunk) {
        if (chunk.length > builder.room() && !builder.isEmpty()) {
            emit();
        }
        builder.beginChunk(chunk[0] & 0xff, chunk[1] & 0xff, SctpPacketView.u16(chunk, 2));
        builder.bytes(chunk, 4, chunk.length - 4);
        builder.pad();
    }

    private void emit() {
        byte[] packet = builder.finish();
        if (packet != null) {
            lastSendNanos = now();
            counters.packetsSent.increment();
            output.send(packet);
        }
    }

    private byte[] sackChunk() {
        int room = settings.mtu() - Chunks.COMMON_HEADER - 16;
        List<int[]> gaps = inbound.gapBlocks(Math.min(InboundData.MAX_GAP_BLOCKS, room / 4));
        byte[] c = new byte[16 + 4 * gaps.size()];
        c[0] = (byte) Chunks.SACK;
        put16(c, 2, c.length);
        put32(c, 4, inbound.cumulativeTsn());
        put32(c, 8, inbound.advertisedWindow());
        put16(c, 12, gaps.size());
        put16(c, 14, 0);
        int p = 16;
        for (int[] g : gaps) {
            put16(c, p, g[0]);
            put16(c, p + 2, g[1]);
            p += 4;
        }
        return c;
    }

    /** A packet with one chunk, outside the normal bundling (INIT, INIT ACK, COOKIE ECHO, ABORT). */
    private void sendStandalone(int tag, byte[] chunk) {
        PacketBuilder single = new PacketBuilder(Math.max(settings.mtu(), chunk.length + Chunks.COMMON_HEADER),
                settings.port(), settings.port());
        single.reset(tag);
        single.beginChunk(chunk[0] & 0xff, chunk[1] & 0xff, SctpPacketView.u16(chunk, 2));
        single.bytes(chunk, 4, chunk.length - 4);
        single.pad();
        counters.packetsSent.increment();
        output.send(single.finish());
    }

    private void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        t1 = t2 = t3 = ackTimer = heartbeatTimer = reconfigTimer = NONE;
        pending.clear();
        sent.clear();
        control.clear();
        pendingBytes = 0;
        listener.onClosed(reason);
    }

    private long now() {
        return clock.getAsLong();
    }

    @Override
    public String toString() {
        return "SctpAssociation{" + state + ", cwnd=" + cwnd + ", ssthresh=" + ssthresh + ", flight=" + flightSize()
                + ", peerWindow=" + peerWindow + ", sent=" + sent.size() + ", pending=" + pending.size()
                + ", rto=" + rto / 1_000_000 + "ms, t3=" + (t3 == NONE ? "off" : (t3 - now()) / 1_000_000 + "ms")
                + ", fastRecovery=" + fastRecovery + '}';
    }

    private static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static void put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int p, long v) {
        put32(b, p, (int) (v >>> 32));
        put32(b, p + 4, (int) v);
    }
}
