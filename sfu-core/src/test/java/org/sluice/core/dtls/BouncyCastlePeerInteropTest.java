package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.srtp.SrtpProfile;

/**
 * Our server endpoint against a plain Bouncy Castle DTLS client configured independently of our
 * peer classes: checks the server's own choices (suite preference, mandatory client certificate,
 * use_srtp requirement, DTLS 1.2 only) and its key split against the client's raw exporter output.
 */
class BouncyCastlePeerInteropTest {

    private static DtlsCertificate clientCertificate;
    private static DtlsCertificate serverCertificate;

    private ExecutorService executor;
    private InMemoryLink toServer;
    private InMemoryLink toClient;
    private final BlockingQueue<byte[]> clientInbox = new LinkedBlockingQueue<>();
    private final RecordingListener serverListener = new RecordingListener();
    private DtlsEndpoint server;

    @BeforeAll
    static void generateCertificates() {
        clientCertificate = DtlsCertificate.generate();
        serverCertificate = DtlsCertificate.generate();
    }

    @BeforeEach
    void setUp() {
        executor = DtlsExecutors.newHandshakeExecutor(2);
        toServer = new InMemoryLink("to-server");
        toClient = new InMemoryLink("to-client");
        server = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate, clientCertificate.fingerprint(), toClient,
                serverListener, executor, DtlsSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(5))
                .withInitialRetransmitMillis(50));
        toServer.connectTo(server);
        toClient.connectTo(buf -> {
            byte[] copy = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), copy);
            clientInbox.add(copy);
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.close();
        executor.shutdownNow();
        toServer.close();
        toClient.close();
    }

    @Test
    void serverPrefersAes128GcmAndSplitsKeysLikeTheClientsExporter() throws Exception {
        PlainClient client = new PlainClient(true, true, ProtocolVersion.DTLSv12.only());

        CompletableFuture<DTLSTransport> connected = runClient(client);

        connected.get(10, TimeUnit.SECONDS);
        DtlsEndpoint.SrtpKeyMaterial serverKeys = serverListener.connected.get(10, TimeUnit.SECONDS);
        assertThat(client.selectedSuite).isEqualTo(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        DtlsEndpoint.SrtpKeyMaterial clientView =
                DtlsEndpoint.SrtpKeyMaterial.fromExporter(SrtpProfile.AES_CM_128_HMAC_SHA1_80, DtlsRole.CLIENT,
                        client.exported);
        assertThat(serverKeys.remoteMasterKey()).isEqualTo(clientView.localMasterKey());
        assertThat(serverKeys.remoteMasterSalt()).isEqualTo(clientView.localMasterSalt());
        assertThat(serverKeys.localMasterKey()).isEqualTo(clientView.remoteMasterKey());
        assertThat(serverKeys.localMasterSalt()).isEqualTo(clientView.remoteMasterSalt());
    }

    @Test
    void applicationDataAfterTheHandshakeReachesTheListener() throws Exception {
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        RecordingListener dataListener = new RecordingListener() {
            @Override
            public void onApplicationData(byte[] data, int offset, int length) {
                received.complete(java.util.Arrays.copyOfRange(data, offset, offset + length));
            }
        };
        server.close();
        server = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate, clientCertificate.fingerprint(), toClient,
                dataListener, executor, DtlsSettings.defaults().withInitialRetransmitMillis(50));
        toServer.connectTo(server);
        server.start();

        DTLSTransport client = runClient(new PlainClient(true, true, ProtocolVersion.DTLSv12.only()))
                .get(10, TimeUnit.SECONDS);
        dataListener.connected.get(10, TimeUnit.SECONDS);
        byte[] message = "sctp would go here".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        client.send(message, 0, message.length);

        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(message);
        client.close(); // close_notify
        dataListener.closed.get(10, TimeUnit.SECONDS);
        assertThat(server.state()).isEqualTo(DtlsState.CLOSED);
    }

    @Test
    void clientWithoutCertificateIsRejected() throws Exception {
        CompletableFuture<DTLSTransport> connected = runClient(new PlainClient(true, false, ProtocolVersion.DTLSv12.only()));

        assertThat(serverListener.failed.get(10, TimeUnit.SECONDS)).isEqualTo(DtlsEndpoint.REASON_NO_PEER_CERTIFICATE);
        assertThat(connected).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void clientWithoutUseSrtpIsRejected() throws Exception {
        CompletableFuture<DTLSTransport> connected = runClient(new PlainClient(false, true, ProtocolVersion.DTLSv12.only()));

        assertThat(serverListener.failed.get(10, TimeUnit.SECONDS)).isEqualTo(DtlsEndpoint.REASON_NO_SRTP_PROFILE);
        assertThat(connected).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void dtls10OnlyClientIsRejected() throws Exception {
        CompletableFuture<DTLSTransport> connected = runClient(new PlainClient(true, true, ProtocolVersion.DTLSv10.only()));

        assertThat(serverListener.failed.get(10, TimeUnit.SECONDS)).isEqualTo(DtlsEndpoint.REASON_HANDSHAKE_ERROR);
        assertThat(connected).failsWithin(Duration.ofSeconds(10));
        assertThat(serverListener.connected).isNotDone();
    }

    private CompletableFuture<DTLSTransport> runClient(PlainClient client) {
        DatagramTransport transport = new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return 1200;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                try {
                    byte[] datagram = clientInbox.poll(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
                    if (datagram == null) {
                        return -1;
                    }
                    System.arraycopy(datagram, 0, buf, off, datagram.length);
                    return datagram.length;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }

            @Override
            public void send(byte[] buf, int off, int len) {
                toServer.send(buf, off, len);
            }

            @Override
            public void close() {
            }
        };
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSClientProtocol().connect(client, transport);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A Bouncy Castle client set up by hand, trusting any server certificate. */
    private static final class PlainClient extends DefaultTlsClient {
        private final boolean offerSrtp;
        private final boolean sendCertificate;
        private final ProtocolVersion[] versions;
        volatile int selectedSuite = -1;
        volatile byte[] exported;

        PlainClient(boolean offerSrtp, boolean sendCertificate, ProtocolVersion[] versions) {
            super(clientCertificate.crypto());
            this.offerSrtp = offerSrtp;
            this.sendCertificate = sendCertificate;
            this.versions = versions;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions;
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            // ChaCha first: the server's preference must still win.
            return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            });
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            if (offerSrtp) {
                TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                        new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            }
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return sendCertificate ? clientCertificate.signer(context) : null;
                }
            };
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return 50;
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return 3000;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            selectedSuite = context.getSecurityParametersConnection().getCipherSuite();
            exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (16 + 14));
        }
    }
}
