package org.sluice.core.transport;

import org.sluice.core.datachannel.DataChannelListener;
import org.sluice.core.datachannel.DataChannelService;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.datachannel.SctpOverDtls;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.sctp.SctpSettings;
import org.sluice.core.dtls.DtlsCounters;
import org.sluice.core.dtls.DtlsEndpoint;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.dtls.DtlsSettings;
import org.sluice.core.ice.IceAgentListener;
import org.sluice.core.ice.IceCredentials;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.rtp.srtp.SrtpSessionConfig;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Assembles transports: an ICE-lite agent (created first, because its credentials go into the
 * answer), a DTLS endpoint wired to send through the transport's loop, and the registration that
 * lets the first STUN check find the transport by ufrag.
 */
public final class TransportFactory {

    private static final IceAgentListener NO_CALLBACKS = new IceAgentListener() {
    };

    private final TransportDirectory directory;
    private final DtlsCertificate certificate;
    private final Executor dtlsExecutor;
    private final DtlsSettings dtlsSettings;
    /** Shared by every transport's DTLS endpoint: process-wide totals. */
    private final DtlsCounters dtlsCounters = new DtlsCounters();
    private final LongSupplier nanoClock;
    private final SrtpSessionConfig srtpConfig;
    private final SecureRandom random = new SecureRandom();
    private final DataChannelService dataChannels;

    public TransportFactory(TransportDirectory directory, DtlsCertificate certificate, Executor dtlsExecutor,
                            Duration handshakeTimeout, LongSupplier nanoClock) {
        this(directory, certificate, dtlsExecutor, handshakeTimeout, nanoClock, SrtpSessionConfig.DEFAULT);
    }

    /**
     * As above, with the SRTP sessions' limits ({@code srtpConfig}) and a data channel service of its own at
     * {@link RoomDataRelay.Limits#DEFAULT} (the engine passes its configured service instead).
     */
    public TransportFactory(TransportDirectory directory, DtlsCertificate certificate, Executor dtlsExecutor,
                            Duration handshakeTimeout, LongSupplier nanoClock, SrtpSessionConfig srtpConfig) {
        this(directory, certificate, dtlsExecutor, handshakeTimeout, nanoClock, srtpConfig,
                new DataChannelService(nanoClock, SctpSettings.defaults(), RoomDataRelay.Limits.DEFAULT));
    }

    /** As above, with the data channel service ({@code dataChannels}). */
    public TransportFactory(TransportDirectory directory, DtlsCertificate certificate, Executor dtlsExecutor,
                            Duration handshakeTimeout, LongSupplier nanoClock, DataChannelService dataChannels) {
        this(directory, certificate, dtlsExecutor, handshakeTimeout, nanoClock, SrtpSessionConfig.DEFAULT, dataChannels);
    }

    /** As above, with the SRTP sessions' limits and the data channel service. */
    public TransportFactory(TransportDirectory directory, DtlsCertificate certificate, Executor dtlsExecutor,
                            Duration handshakeTimeout, LongSupplier nanoClock, SrtpSessionConfig srtpConfig,
                            DataChannelService dataChannels) {
        this.srtpConfig = srtpConfig;
        this.dataChannels = dataChannels;
        this.directory = directory;
        this.certificate = certificate;
        this.dtlsExecutor = dtlsExecutor;
        this.dtlsSettings = DtlsSettings.defaults().withHandshakeTimeout(handshakeTimeout);
        this.nanoClock = nanoClock;
    }

    /** A fresh ICE-lite agent with new local credentials (polled, so it needs no callbacks). */
    public IceLiteAgent newAgent() {
        return new IceLiteAgent(random, nanoClock, NO_CALLBACKS);
    }

    /** A transport for {@code ice}, reachable by its ufrag from now on. */
    public MediaTransport create(String id, IceLiteAgent ice, RemoteParameters remote) {
        ice.setRemoteCredentials(new IceCredentials(remote.ufrag(), remote.password()));
        MediaTransport transport = new MediaTransport(id, ice, directory, nanoClock, srtpConfig);
        DtlsEndpoint dtls = new DtlsEndpoint(remote.localRole(), certificate, remote.fingerprint(),
                transport::sendDtlsDatagram, new DtlsEvents(transport), dtlsExecutor, dtlsSettings, dtlsCounters);
        transport.attach(dtls);
        directory.register(transport, ice.localCredentials().ufrag());
        return transport;
    }

    /**
     * A transport we dial: {@code id}'s ICE agent {@code ice} (its credentials went into our offer), the peer's
     * parameters from its answer, and its candidate {@code candidate}. It gets a UDP socket of its own on {@code loop}
     * (several transports to one peer port must not share a 5-tuple), is the controlling ICE agent there
     * ({@link IceDialer}) and the DTLS role the answer gave us. Set its handler, then {@link MediaTransport#startDialing()}.
     * Blocks while the socket binds: not on a media loop.
     *
     * @throws java.io.IOException when no socket can be bound
     */
    public MediaTransport dial(String id, IceLiteAgent ice, RemoteParameters remote,
                               java.net.InetSocketAddress candidate, org.sluice.core.net.MediaNetwork network,
                               org.sluice.core.net.MediaLoop loop) throws java.io.IOException {
        ice.setRemoteCredentials(new IceCredentials(remote.ufrag(), remote.password()));
        MediaTransport transport = new MediaTransport(id, ice, directory, nanoClock, srtpConfig);
        DtlsEndpoint dtls = new DtlsEndpoint(remote.localRole(), certificate, remote.fingerprint(),
                transport::sendDtlsDatagram, new DtlsEvents(transport), dtlsExecutor, dtlsSettings, dtlsCounters);
        transport.attach(dtls);
        IceDialer dialer = new IceDialer(transport, ice.localCredentials(),
                new IceCredentials(remote.ufrag(), remote.password()), candidate, random);
        org.sluice.core.net.DialSocket socket = network.openDialSocket(loop, dialer);
        transport.dialWith(dialer, socket);
        directory.register(transport, ice.localCredentials().ufrag());
        transport.claim(loop);
        return transport;
    }

    /** Every DTLS endpoint's datagram counters, summed. */
    public DtlsCounters dtlsCounters() {
        return dtlsCounters;
    }

    /** The data channel thread, counters and room relay. */
    public DataChannelService dataChannels() {
        return dataChannels;
    }

    /** Carries data channels over {@code transport}, their events going to {@code listener}. */
    public SctpOverDtls enableDataChannels(MediaTransport transport, DataChannelListener listener) {
        SctpOverDtls sctp = dataChannels.create(transport.dtlsRole() == DtlsRole.CLIENT,
                transport::sendApplicationData, listener);
        transport.useDataChannels(sctp);
        return sctp;
    }

    /** ICE restart with the peer's new credentials; returns our new ones, already routable. */
    public IceCredentials restartIce(MediaTransport transport, String remoteUfrag, String remotePassword) {
        IceCredentials local = transport.restartIce(new IceCredentials(remoteUfrag, remotePassword));
        directory.addUfrag(transport, local.ufrag());
        return local;
    }

    /** DTLS outcomes, delivered on handshake threads, forwarded to the transport. */
    private record DtlsEvents(MediaTransport transport) implements DtlsEndpoint.DtlsListener {
        @Override
        public void onConnected(DtlsEndpoint.SrtpKeyMaterial keys, long handshakeNanos) {
            transport.onDtlsConnected(keys, handshakeNanos);
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            transport.onDtlsFailed(reason);
        }

        @Override
        public void onClosed() {
            transport.close("dtls: peer closed");
        }

        @Override
        public void onApplicationData(byte[] data, int offset, int length) {
            transport.onApplicationData(data, offset, length);
        }
    }
}
