package org.sluice.core.dtls;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.ByteBuf;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.rtp.srtp.SrtpProfile;

/**
 * One DTLS-SRTP association (RFC 5764) for one ICE transport: runs the DTLS 1.2 handshake with the
 * remote browser, checks its certificate against the SDP fingerprint, and hands the SRTP master
 * keys to the {@link DtlsListener}. It does no socket I/O: the owner feeds incoming DTLS datagrams
 * to {@link #receive(ByteBuf)} and sends what arrives at its {@link DatagramSender}.
 *
 * <p>Threads: {@link #start()}, {@link #receive(ByteBuf)} and {@link #close()} never run the
 * handshake; the blocking Bouncy Castle engine runs on the caller-supplied executor, reading
 * datagrams from a bounded queue. After the handshake no thread stays with the endpoint: a
 * record that arrives later (a retransmitted final flight, an alert, close_notify) schedules one
 * short drain task on the executor. Calls to {@link #receive(ByteBuf)} must not overlap (they come
 * from the transport's one event loop). Listener methods run on executor threads (and
 * {@code onFailed} on the caller's thread when the executor rejects the handshake). See the
 * package documentation for the full design.
 */
public final class DtlsEndpoint {

    /** The peer certificate does not hash to the fingerprint from its SDP. */
    public static final String REASON_FINGERPRINT_MISMATCH = "fingerprint mismatch";
    /** The peer sent no certificate (WebRTC requires one from both sides). */
    public static final String REASON_NO_PEER_CERTIFICATE = "peer sent no certificate";
    /** use_srtp missing or without a profile both sides support. */
    public static final String REASON_NO_SRTP_PROFILE = "no common SRTP profile";
    /** The handshake was not done within {@link DtlsSettings#handshakeTimeout()}. */
    public static final String REASON_TIMEOUT = "handshake timeout";
    /** The peer aborted with a fatal alert. */
    public static final String REASON_PEER_ALERT = "peer sent fatal alert";
    /** The peer sent close_notify before the handshake finished. */
    public static final String REASON_PEER_CLOSED = "peer closed during handshake";
    /** The handshake executor rejected the task (queue full or shut down). */
    public static final String REASON_EXECUTOR_REJECTED = "handshake executor saturated";
    /** Any other handshake error (malformed messages, unsupported parameters, ...). */
    public static final String REASON_HANDSHAKE_ERROR = "handshake failed";
    /** A connected association failed (a fatal alert or an engine error after the handshake). */
    public static final String REASON_CONNECTION_ERROR = "connection failed";

    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final long CLOSE_LOCK_WAIT_MILLIS = 50;

    /** Hands an outgoing datagram to the owner, who copies it and sends it on its event loop. */
    @FunctionalInterface
    public interface DatagramSender {
        /** Called on handshake threads; must not block and must not keep {@code data}. */
        void send(byte[] data, int offset, int length);
    }

    /**
     * Outcome of the association. Sequences: {@code onFailed}; or {@code onConnected} then at most
     * one of {@code onClosed}/{@code onFailed}; or nothing after a local {@link #close()}. Called on
     * executor threads; implementations hand work to their own event loop and return quickly.
     */
    public interface DtlsListener {
        /** The handshake completed; {@code keys} are for SRTP in both directions. */
        void onConnected(SrtpKeyMaterial keys, long handshakeNanos);

        /** The handshake failed, or a connected association broke; {@code reason} is one of the REASON_ constants. */
        void onFailed(String reason, Throwable cause);

        /** The peer sent close_notify after the handshake. Not called for a local {@link #close()}. */
        void onClosed();

        /** DTLS application data after the handshake (e.g. SCTP for data channels); ignored by default. */
        default void onApplicationData(byte[] data, int offset, int length) {
        }
    }

    /**
     * SRTP master keys and salts exported per RFC 5764 §4.2; {@code local*} protect what we send,
     * {@code remote*} what we receive. The arrays are not copied: the receiver of
     * {@code onConnected} owns them (and may wipe them once its SRTP contexts are built).
     */
    public record SrtpKeyMaterial(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
                                  byte[] remoteMasterKey, byte[] remoteMasterSalt) {

        public SrtpKeyMaterial {
            Objects.requireNonNull(profile, "profile");
            checkLength(localMasterKey, profile.masterKeyLength(), "localMasterKey");
            checkLength(remoteMasterKey, profile.masterKeyLength(), "remoteMasterKey");
            checkLength(localMasterSalt, profile.masterSaltLength(), "localMasterSalt");
            checkLength(remoteMasterSalt, profile.masterSaltLength(), "remoteMasterSalt");
        }

        /**
         * Splits the exporter output {@code client_write_key | server_write_key | client_write_salt |
         * server_write_salt} (RFC 5764 §4.2) into ours and theirs for the given role.
         */
        public static SrtpKeyMaterial fromExporter(SrtpProfile profile, DtlsRole role, byte[] material) {
            int k = profile.masterKeyLength();
            int s = profile.masterSaltLength();
            if (material == null || material.length != 2 * (k + s)) {
                throw new IllegalArgumentException("exporter output must be " + 2 * (k + s) + " bytes");
            }
            byte[] clientKey = slice(material, 0, k);
            byte[] serverKey = slice(material, k, k);
            byte[] clientSalt = slice(material, 2 * k, s);
            byte[] serverSalt = slice(material, 2 * k + s, s);
            return role == DtlsRole.CLIENT
                    ? new SrtpKeyMaterial(profile, clientKey, clientSalt, serverKey, serverSalt)
                    : new SrtpKeyMaterial(profile, serverKey, serverSalt, clientKey, clientSalt);
        }

        private static byte[] slice(byte[] src, int offset, int length) {
            byte[] out = new byte[length];
            System.arraycopy(src, offset, out, 0, length);
            return out;
        }

        private static void checkLength(byte[] value, int expected, String name) {
            if (value == null || value.length != expected) {
                throw new IllegalArgumentException(name + " must be " + expected + " bytes");
            }
        }

        /** Never prints key bytes. */
        @Override
        public String toString() {
            return "SrtpKeyMaterial{" + profile + ", keys redacted}";
        }
    }

    private final DtlsRole role;
    private final Executor executor;
    private final DtlsListener listener;
    private final DtlsCounters counters;
    private final HandshakeDeadline deadline;
    private final DtlsRecordFilter filter;
    private final QueueDatagramTransport transport;
    private final DtlsSrtpNegotiation negotiation;
    private final AtomicReference<DtlsState> state = new AtomicReference<>(DtlsState.NEW);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ReentrantLock engineLock = new ReentrantLock();
    private volatile DTLSTransport engine;
    private volatile long startNanos;
    private byte[] applicationBuffer;

    /** An endpoint with its own {@link DtlsCounters}. */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate local, DtlsFingerprint expectedRemote,
                        DatagramSender sender, DtlsListener listener, Executor handshakeExecutor,
                        DtlsSettings settings) {
        this(role, local, expectedRemote, sender, listener, handshakeExecutor, settings, new DtlsCounters());
    }

    /**
     * @param role              CLIENT or SERVER, from the SDP {@code a=setup} negotiation
     * @param local             our certificate (one per process)
     * @param expectedRemote    the fingerprint from the remote SDP
     * @param sender            receives outgoing datagrams
     * @param listener          receives the outcome
     * @param handshakeExecutor bounded executor for handshakes and record tasks, see {@link DtlsExecutors}
     * @param settings          timeouts, MTU, SRTP profile preference
     * @param counters          where to count records and failures (may be shared by many endpoints)
     */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate local, DtlsFingerprint expectedRemote,
                        DatagramSender sender, DtlsListener listener, Executor handshakeExecutor,
                        DtlsSettings settings, DtlsCounters counters) {
        this.role = Objects.requireNonNull(role, "role");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(expectedRemote, "expectedRemote");
        Objects.requireNonNull(sender, "sender");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        Objects.requireNonNull(settings, "settings");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.deadline = new HandshakeDeadline(settings.nanoTime(), settings.handshakeTimeout());
        this.filter = new DtlsRecordFilter(settings.receiveLimit(), DtlsCipherSuites.CHACHA_MINIMUM);
        this.transport = new QueueDatagramTransport(sender, deadline, counters, settings.inboundQueueCapacity(),
                settings.mtu(), settings.receiveLimit());
        this.negotiation = new DtlsSrtpNegotiation(role, local, expectedRemote, settings.srtpProfiles(), deadline,
                settings.initialRetransmitMillis(), filter::minimumProtectedLength);
    }

    /**
     * Starts the handshake on the executor (the client sends its ClientHello, the server waits for
     * one; datagrams received before this call are kept). Returns at once; a second call does nothing.
     */
    public void start() {
        if (!state.compareAndSet(DtlsState.NEW, DtlsState.HANDSHAKING)) {
            return;
        }
        startNanos = deadline.start();
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            failHandshake(REASON_EXECUTOR_REJECTED, e);
        }
    }

    /**
     * Accepts one incoming DTLS datagram (its readable bytes). Copies it; the caller keeps
     * ownership of {@code record} (not retained, not released). Never blocks, never throws:
     * malformed, oversized or late datagrams are dropped and counted.
     */
    public void receive(ByteBuf record) {
        counters.recordReceived();
        try {
            if (state.get().isTerminal() || !filter.wrap(record)) {
                counters.recordDropped();
                return;
            }
            byte[] copy = new byte[record.readableBytes()];
            record.getBytes(record.readerIndex(), copy);
            if (!transport.offer(copy)) {
                counters.recordQueueFull();
                return;
            }
            if (state.get() == DtlsState.CONNECTED) {
                scheduleDrain();
            }
        } catch (RuntimeException e) {
            counters.recordDropped(); // e.g. a buffer released under us
        }
    }

    /**
     * Ends the association: sends close_notify when connected, aborts a running handshake, drops
     * queued datagrams. Idempotent; the state becomes CLOSED (or stays FAILED). Does not call the
     * listener.
     */
    public void close() {
        while (true) {
            DtlsState current = state.get();
            if (current.isTerminal()) {
                transport.close();
                return;
            }
            if (state.compareAndSet(current, DtlsState.CLOSED)) {
                if (current == DtlsState.CONNECTED) {
                    sendCloseNotify();
                }
                transport.close();
                return;
            }
        }
    }

    public DtlsState state() {
        return state.get();
    }

    public DtlsRole role() {
        return role;
    }

    public DtlsCounters counters() {
        return counters;
    }

    /** The negotiated SRTP profile once connected, else {@code null}. */
    public SrtpProfile srtpProfile() {
        return state.get() == DtlsState.CONNECTED ? negotiation.selectedProfile() : null;
    }

    private void runHandshake() {
        if (state.get() != DtlsState.HANDSHAKING) {
            return;
        }
        DTLSTransport connected;
        try {
            if (deadline.expired()) {
                throw new TlsTimeoutException("handshake deadline passed while queued");
            }
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(false); // ICE already proved the address; save a round trip
                connected = protocol.accept(new SrtpDtlsServer(negotiation), transport);
            } else {
                connected = new DTLSClientProtocol().connect(new SrtpDtlsClient(negotiation), transport);
            }
        } catch (Exception e) {
            failHandshake(classifyHandshakeFailure(e), e);
            return;
        }
        SrtpKeyMaterial keys = negotiation.keys();
        if (keys == null) {
            failHandshake(REASON_HANDSHAKE_ERROR, new IllegalStateException("no SRTP keys exported"));
            return;
        }
        try {
            applicationBuffer = new byte[Math.max(1, connected.getReceiveLimit())];
        } catch (IOException e) {
            failHandshake(REASON_HANDSHAKE_ERROR, e);
            return;
        }
        engine = connected;
        transport.enterConnectedMode();
        if (!state.compareAndSet(DtlsState.HANDSHAKING, DtlsState.CONNECTED)) {
            return; // closed while finishing; the transport is already closed
        }
        counters.handshakeCompleted();
        long handshakeNanos = deadline.now() - startNanos;
        try {
            listener.onConnected(keys, handshakeNanos);
        } catch (RuntimeException e) {
            LOG.warn("DTLS listener onConnected threw", e);
        }
        if (transport.hasPending()) {
            scheduleDrain();
        }
    }

    private String classifyHandshakeFailure(Exception e) {
        String own = negotiation.failureReason();
        if (own != null) {
            return own;
        }
        if (negotiation.fatalAlertReceived() || e instanceof TlsFatalAlertReceived) {
            return REASON_PEER_ALERT;
        }
        if (e instanceof TlsTimeoutException || deadline.expired()) {
            return REASON_TIMEOUT;
        }
        if (negotiation.closeNotifyReceived()) {
            return REASON_PEER_CLOSED;
        }
        return REASON_HANDSHAKE_ERROR;
    }

    private void failHandshake(String reason, Throwable cause) {
        while (true) {
            DtlsState current = state.get();
            if (current.isTerminal() || current == DtlsState.CONNECTED) {
                return;
            }
            if (state.compareAndSet(current, DtlsState.FAILED)) {
                break;
            }
        }
        counters.handshakeFailed();
        transport.close();
        LOG.debug("DTLS {} handshake failed: {}", role, reason, cause);
        notifyFailed(reason, cause);
    }

    private void failConnection(String reason, Throwable cause) {
        if (state.compareAndSet(DtlsState.CONNECTED, DtlsState.FAILED)) {
            transport.close();
            notifyFailed(reason, cause);
        }
    }

    private void notifyFailed(String reason, Throwable cause) {
        try {
            listener.onFailed(reason, cause);
        } catch (RuntimeException e) {
            LOG.warn("DTLS listener onFailed threw", e);
        }
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false); // datagrams stay queued until the next receive
        }
    }

    /** Feeds every queued datagram to the connected engine without waiting. */
    private void drain() {
        engineLock.lock();
        try {
            drainLocked();
        } finally {
            engineLock.unlock();
            drainScheduled.set(false);
        }
        if (state.get() == DtlsState.CONNECTED && transport.hasPending()) {
            scheduleDrain();
        }
    }

    private void drainLocked() {
        DTLSTransport connected = engine;
        if (connected == null || state.get() != DtlsState.CONNECTED) {
            return;
        }
        try {
            while (!negotiation.closeNotifyReceived()) {
                int length;
                try {
                    length = connected.receive(applicationBuffer, 0, applicationBuffer.length, 1);
                } catch (QueueDrainedException e) {
                    break;
                }
                if (length > 0) {
                    deliverApplicationData(length);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!negotiation.closeNotifyReceived()) {
                failConnection(negotiation.fatalAlertReceived() ? REASON_PEER_ALERT : REASON_CONNECTION_ERROR, e);
                return;
            }
        }
        if (negotiation.closeNotifyReceived() && state.compareAndSet(DtlsState.CONNECTED, DtlsState.CLOSED)) {
            transport.close();
            try {
                listener.onClosed();
            } catch (RuntimeException e) {
                LOG.warn("DTLS listener onClosed threw", e);
            }
        }
    }

    private void deliverApplicationData(int length) {
        try {
            listener.onApplicationData(applicationBuffer, 0, length);
        } catch (RuntimeException e) {
            LOG.warn("DTLS listener onApplicationData threw", e);
        }
    }

    /**
     * Sends one DTLS application data record (an SCTP packet for data channels) when connected.
     * Takes the engine lock, so it may wait briefly for a drain; call it off the media loops.
     * False when not connected, too large for one record, or the engine failed.
     */
    public boolean sendApplicationData(byte[] data, int offset, int length) {
        DTLSTransport connected = engine;
        if (connected == null || state.get() != DtlsState.CONNECTED) {
            return false;
        }
        engineLock.lock();
        try {
            if (length > connected.getSendLimit()) {
                return false;
            }
            connected.send(data, offset, length);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS application data not sent", e);
            return false;
        } finally {
            engineLock.unlock();
        }
    }

    /** The largest application record {@link #sendApplicationData} accepts, or 0 before the handshake. */
    public int applicationSendLimit() {
        DTLSTransport connected = engine;
        if (connected == null) {
            return 0;
        }
        try {
            return connected.getSendLimit();
        } catch (IOException e) {
            return 0;
        }
    }

    private void sendCloseNotify() {
        DTLSTransport connected = engine;
        if (connected == null) {
            return;
        }
        boolean locked = false;
        try {
            locked = engineLock.tryLock(CLOSE_LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (locked) {
                connected.close(); // sends close_notify through the still-open transport
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS close_notify not sent", e);
        } finally {
            if (locked) {
                engineLock.unlock();
            }
        }
    }
}
