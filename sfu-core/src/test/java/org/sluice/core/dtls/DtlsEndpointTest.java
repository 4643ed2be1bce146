package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sluice.rtp.srtp.SrtpProfile;

/** Client and server endpoints talking through in-memory links, no sockets. */
class DtlsEndpointTest {

    private static final long WAIT_SECONDS = 10;

    private static DtlsCertificate clientCertificate;
    private static DtlsCertificate serverCertificate;
    private static DtlsCertificate strangerCertificate;

    private ExecutorService executor;
    private InMemoryLink toServer;
    private InMemoryLink toClient;
    private final RecordingListener clientListener = new RecordingListener();
    private final RecordingListener serverListener = new RecordingListener();
    private DtlsEndpoint client;
    private DtlsEndpoint server;

    @BeforeAll
    static void generateCertificates() {
        clientCertificate = DtlsCertificate.generate();
        serverCertificate = DtlsCertificate.generate();
        strangerCertificate = DtlsCertificate.generate();
    }

    @BeforeEach
    void setUp() {
        executor = DtlsExecutors.newHandshakeExecutor(4);
        toServer = new InMemoryLink("to-server");
        toClient = new InMemoryLink("to-client");
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        toServer.close();
        toClient.close();
    }

    private static DtlsSettings fast() {
        return DtlsSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(8)).withInitialRetransmitMillis(50);
    }

    private void create(DtlsSettings clientSettings, DtlsSettings serverSettings,
                        DtlsFingerprint clientExpects, DtlsFingerprint serverExpects) {
        client = new DtlsEndpoint(DtlsRole.CLIENT, clientCertificate, clientExpects, toServer, clientListener,
                executor, clientSettings);
        server = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate, serverExpects, toClient, serverListener,
                executor, serverSettings);
        toServer.connectTo(server);
        toClient.connectTo(client);
    }

    private void createDefault() {
        create(fast(), fast(), serverCertificate.fingerprint(), clientCertificate.fingerprint());
    }

    private void startBoth() {
        server.start();
        client.start();
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; client " + describe(client, clientListener) + ", server "
                    + describe(server, serverListener), e);
        }
    }

    private static String describe(DtlsEndpoint endpoint, RecordingListener listener) {
        if (endpoint == null) {
            return "none";
        }
        return endpoint.state() + " failed=" + listener.failed.getNow(null) + " cause=" + listener.failureCause
                + " " + endpoint.counters();
    }

    private static void assertSymmetric(DtlsEndpoint.SrtpKeyMaterial c, DtlsEndpoint.SrtpKeyMaterial s,
                                        SrtpProfile profile) {
        assertThat(c.profile()).isEqualTo(profile);
        assertThat(s.profile()).isEqualTo(profile);
        assertThat(c.localMasterKey()).hasSize(profile.masterKeyLength()).isEqualTo(s.remoteMasterKey());
        assertThat(c.remoteMasterKey()).hasSize(profile.masterKeyLength()).isEqualTo(s.localMasterKey());
        assertThat(c.localMasterSalt()).hasSize(profile.masterSaltLength()).isEqualTo(s.remoteMasterSalt());
        assertThat(c.remoteMasterSalt()).hasSize(profile.masterSaltLength()).isEqualTo(s.localMasterSalt());
        assertThat(c.localMasterKey()).isNotEqualTo(c.remoteMasterKey());
        assertThat(c.localMasterSalt()).isNotEqualTo(c.remoteMasterSalt());
    }

    @Test
    void handshakeDeliversSymmetricKeysForThePreferredProfile() throws Exception {
        createDefault();
        startBoth();

        DtlsEndpoint.SrtpKeyMaterial clientKeys = await(clientListener.connected);
        DtlsEndpoint.SrtpKeyMaterial serverKeys = await(serverListener.connected);

        assertSymmetric(clientKeys, serverKeys, SrtpProfile.AEAD_AES_128_GCM);
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(client.srtpProfile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(clientListener.handshakeNanos).isPositive();
        assertThat(serverListener.handshakeNanos).isPositive();
        assertThat(clientListener.callbacks).hasValue(1);
        assertThat(serverListener.callbacks).hasValue(1);
        assertThat(client.counters().handshakesCompleted()).isEqualTo(1);
        assertThat(server.counters().recordsReceived()).isPositive();
        assertThat(server.counters().recordsDropped()).isZero();
        // Every datagram respects the MTU.
        assertThat(toServer.history()).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(1200));
        assertThat(toClient.history()).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(1200));
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void serverPicksItsMostPreferredOfferedProfile(SrtpProfile preferred) throws Exception {
        List<SrtpProfile> serverOrder = new ArrayList<>(DtlsSettings.DEFAULT_PROFILES);
        serverOrder.remove(preferred);
        serverOrder.add(0, preferred);
        create(fast(), fast().withSrtpProfiles(serverOrder),
                serverCertificate.fingerprint(), clientCertificate.fingerprint());
        startBoth();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected), preferred);
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void clientOfferingOneProfileGetsIt(SrtpProfile only) throws Exception {
        create(fast().withSrtpProfiles(List.of(only)), fast(),
                serverCertificate.fingerprint(), clientCertificate.fingerprint());
        startBoth();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected), only);
    }

    @Test
    void noCommonProfileFailsBothSides() throws Exception {
        create(fast().withSrtpProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80)),
                fast().withSrtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM)),
                serverCertificate.fingerprint(), clientCertificate.fingerprint());
        startBoth();

        assertThat(await(serverListener.failed)).isEqualTo(DtlsEndpoint.REASON_NO_SRTP_PROFILE);
        assertThat(await(clientListener.failed)).isEqualTo(DtlsEndpoint.REASON_PEER_ALERT);
        assertThat(clientListener.connected).isNotDone();
    }

    @Test
    void serverRejectsClientCertificateWithWrongFingerprint() throws Exception {
        create(fast(), fast(), serverCertificate.fingerprint(), strangerCertificate.fingerprint());
        startBoth();

        assertThat(await(serverListener.failed)).isEqualTo(DtlsEndpoint.REASON_FINGERPRINT_MISMATCH);
        assertThat(await(clientListener.failed)).isEqualTo(DtlsEndpoint.REASON_PEER_ALERT);
        assertThat(server.state()).isEqualTo(DtlsState.FAILED);
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
        assertThat(serverListener.connected).isNotDone();
        assertThat(clientListener.connected).isNotDone();
        assertThat(server.counters().handshakeFailures()).isEqualTo(1);
        assertThat(client.counters().handshakeFailures()).isEqualTo(1);
    }

    @Test
    void clientRejectsServerCertificateWithWrongFingerprint() throws Exception {
        create(fast(), fast(), strangerCertificate.fingerprint(), clientCertificate.fingerprint());
        startBoth();

        assertThat(await(clientListener.failed)).isEqualTo(DtlsEndpoint.REASON_FINGERPRINT_MISMATCH);
        assertThat(await(serverListener.failed)).isEqualTo(DtlsEndpoint.REASON_PEER_ALERT);
        assertThat(server.state()).isEqualTo(DtlsState.FAILED);
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
    }

    @Test
    void remoteFingerprintWithOtherHashFunctionIsAccepted() throws Exception {
        DtlsFingerprint sha512 = DtlsFingerprint.of(DtlsFingerprint.Algorithm.SHA_512, serverCertificate.derEncoded());
        DtlsFingerprint sha1 = DtlsFingerprint.of(DtlsFingerprint.Algorithm.SHA_1, clientCertificate.derEncoded());
        create(fast(), fast(), sha512, sha1);
        startBoth();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected),
                SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void silentPeerFailsWithTimeoutWithinTheConfiguredTime() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        create(fast().withHandshakeTimeout(timeout), fast().withHandshakeTimeout(timeout),
                serverCertificate.fingerprint(), clientCertificate.fingerprint());
        toServer.dropRule((index, datagram) -> true);
        toClient.dropRule((index, datagram) -> true);
        long started = System.nanoTime();
        startBoth();

        assertThat(await(clientListener.failed)).isEqualTo(DtlsEndpoint.REASON_TIMEOUT);
        assertThat(await(serverListener.failed)).isEqualTo(DtlsEndpoint.REASON_TIMEOUT);
        long clientElapsed = clientListener.failedAtNanos - started;
        long serverElapsed = serverListener.failedAtNanos - started;
        assertThat(clientElapsed).isBetween(timeout.toNanos() * 9 / 10, timeout.toNanos() + 2_000_000_000L);
        assertThat(serverElapsed).isBetween(timeout.toNanos() * 9 / 10, timeout.toNanos() + 2_000_000_000L);
        // The client retransmitted its ClientHello on the (50 ms, doubling) timer before giving up.
        assertThat(toServer.sent()).isGreaterThan(1);
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
    }

    @Test
    void timeSpentQueuedInTheExecutorCountsTowardsTheTimeout() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        ExecutorService single = DtlsExecutors.newHandshakeExecutor(1, 4);
        try {
            CountDownLatch release = new CountDownLatch(1);
            single.execute(() -> awaitQuietly(release));
            DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.CLIENT, clientCertificate,
                    serverCertificate.fingerprint(), toServer, clientListener, single,
                    fast().withHandshakeTimeout(Duration.ofSeconds(5)).withNanoTime(clock::get));
            endpoint.start();
            clock.addAndGet(Duration.ofSeconds(6).toNanos()); // the queue wait outlasts the timeout
            release.countDown();

            assertThat(await(clientListener.failed)).isEqualTo(DtlsEndpoint.REASON_TIMEOUT);
            assertThat(toServer.sent()).isZero(); // it never started a doomed handshake
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void handshakeSurvivesLossOfTheFirstTwoDatagramsEachWay() throws Exception {
        createDefault();
        toServer.dropRule((index, datagram) -> index < 2);
        toClient.dropRule((index, datagram) -> index < 2);
        startBoth();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected),
                SrtpProfile.AEAD_AES_128_GCM);
        assertThat(toServer.dropped()).isEqualTo(2);
        assertThat(toClient.dropped()).isEqualTo(2);
    }

    @Test
    void lostServerFinalFlightIsRetransmittedAfterTheServerConnected() throws Exception {
        createDefault();
        // The server's last flight is ChangeCipherSpec (type 20) then Finished (epoch 1): lose both once.
        AtomicInteger finalFlightDrops = new AtomicInteger();
        toClient.dropRule((index, datagram) -> {
            boolean finalFlight = datagram[0] == 20 || epochOf(datagram) == 1;
            return finalFlight && finalFlightDrops.getAndIncrement() < 2;
        });
        startBoth();

        DtlsEndpoint.SrtpKeyMaterial serverKeys = await(serverListener.connected);
        DtlsEndpoint.SrtpKeyMaterial clientKeys = await(clientListener.connected);

        assertSymmetric(clientKeys, serverKeys, SrtpProfile.AEAD_AES_128_GCM);
        // The server's engine had returned after its first final flight, so the second one (which
        // let the client finish) came from the post-handshake drain answering the client's retransmission.
        assertThat(finalFlightDrops.get()).isGreaterThanOrEqualTo(4);
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
    }

    private static int epochOf(byte[] datagram) {
        return datagram.length < 5 ? -1 : (datagram[3] & 0xFF) << 8 | (datagram[4] & 0xFF);
    }

    @Test
    void closeNotifyFromClientClosesServer() throws Exception {
        createDefault();
        startBoth();
        await(clientListener.connected);
        await(serverListener.connected);

        client.close();

        await(serverListener.closed);
        assertThat(server.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(client.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(clientListener.closed).isNotDone(); // a local close does not call back
        assertThat(serverListener.failed).isNotDone();
        client.close(); // idempotent
        assertThat(client.state()).isEqualTo(DtlsState.CLOSED);
    }

    @Test
    void closeNotifyFromServerClosesClient() throws Exception {
        createDefault();
        startBoth();
        await(clientListener.connected);
        await(serverListener.connected);

        server.close();

        await(clientListener.closed);
        assertThat(client.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(clientListener.failed).isNotDone();
    }

    @Test
    void garbageAndTruncatedDatagramsBeforeAndDuringTheHandshakeAreIgnored() throws Exception {
        createDefault();
        SplittableRandom random = new SplittableRandom(5764);
        for (int i = 0; i < 20; i++) {
            toServer.inject(randomBytes(random, random.nextInt(0, 300)));
            toClient.inject(randomBytes(random, random.nextInt(0, 300)));
            toServer.inject(plausibleGarbage(random));
            toClient.inject(plausibleGarbage(random));
        }
        // Before every real datagram, deliver random bytes and a truncated copy of it.
        toServer.dropRule((index, datagram) -> {
            toServer.inject(randomBytes(random, 1 + index % 40));
            toServer.inject(Arrays.copyOf(datagram, datagram.length / 2));
            return false;
        });
        toClient.dropRule((index, datagram) -> {
            toClient.inject(randomBytes(random, 1 + index % 40));
            toClient.inject(Arrays.copyOf(datagram, datagram.length - 1));
            return false;
        });
        startBoth();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected),
                SrtpProfile.AEAD_AES_128_GCM);
        assertThat(server.counters().recordsDropped()).isGreaterThanOrEqualTo(20);
        assertThat(client.counters().recordsDropped()).isGreaterThanOrEqualTo(20);
        assertThat(server.counters().recordsReceived()).isGreaterThan(server.counters().recordsDropped());
    }

    @Test
    void garbageAfterTheHandshakeDoesNotBreakTheConnection() throws Exception {
        createDefault();
        startBoth();
        await(clientListener.connected);
        await(serverListener.connected);
        SplittableRandom random = new SplittableRandom(8842);

        for (int i = 0; i < 50; i++) {
            toServer.inject(plausibleGarbage(random)); // well-formed header, epoch 0 or 1, bogus content
            toServer.inject(randomBytes(random, random.nextInt(0, 100)));
        }
        client.close();

        await(serverListener.closed); // close_notify is still understood after the garbage
        assertThat(serverListener.failed).isNotDone();
    }

    @Test
    void executorSaturationFailsAtOnceInsteadOfHanging() throws Exception {
        ExecutorService tiny = DtlsExecutors.newHandshakeExecutor(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            tiny.execute(() -> awaitQuietly(release)); // occupies the only thread
            tiny.execute(() -> { });                   // fills the queue
            DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.SERVER, serverCertificate,
                    clientCertificate.fingerprint(), toClient, serverListener, tiny, fast());

            endpoint.start();

            assertThat(serverListener.failed).isCompletedWithValue(DtlsEndpoint.REASON_EXECUTOR_REJECTED);
            assertThat(endpoint.state()).isEqualTo(DtlsState.FAILED);
            assertThat(endpoint.counters().handshakeFailures()).isEqualTo(1);
            endpoint.close();
            assertThat(endpoint.state()).isEqualTo(DtlsState.FAILED);
        } finally {
            release.countDown();
            tiny.shutdownNow();
        }
    }

    @Test
    void closeDuringTheHandshakeReleasesTheThreadWithoutCallbacks() throws Exception {
        ExecutorService single = DtlsExecutors.newHandshakeExecutor(1, 4);
        try {
            toServer.dropRule((index, datagram) -> true);
            DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.CLIENT, clientCertificate,
                    serverCertificate.fingerprint(), toServer, clientListener, single,
                    fast().withHandshakeTimeout(Duration.ofSeconds(60)));
            endpoint.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (toServer.sent() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(endpoint.state()).isEqualTo(DtlsState.HANDSHAKING);

            endpoint.close();

            Future<?> probe = single.submit(() -> { });
            probe.get(WAIT_SECONDS, TimeUnit.SECONDS); // the handshake thread came back long before 60 s
            assertThat(endpoint.state()).isEqualTo(DtlsState.CLOSED);
            assertThat(clientListener.callbacks).hasValue(0);
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void datagramsArrivingBeforeStartAreKept() throws Exception {
        createDefault();
        client.start(); // the ClientHello reaches the server before the server starts
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (server.counters().recordsReceived() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        server.start();

        assertSymmetric(await(clientListener.connected), await(serverListener.connected),
                SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void receiveNeverThrowsAndCountsDrops() {
        createDefault();
        ByteBuf released = Unpooled.buffer(20).writeZero(20);
        released.release();

        server.receive(released);   // a released buffer
        server.receive(null);       // no buffer at all
        ByteBuf empty = Unpooled.buffer(0);
        try {
            server.receive(empty);
        } finally {
            empty.release();
        }
        server.close();
        ByteBuf late = Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        try {
            server.receive(late);
            assertThat(late.refCnt()).isEqualTo(1); // not released by the endpoint
        } finally {
            late.release();
        }

        assertThat(server.counters().recordsReceived()).isEqualTo(4);
        assertThat(server.counters().recordsDropped()).isEqualTo(4);
    }

    @Test
    void datagramsBeyondTheInboundQueueAreCountedAsQueueFull() {
        DtlsSettings small = fast().withInboundQueueCapacity(4);
        create(small, small, serverCertificate.fingerprint(), clientCertificate.fingerprint());
        // Not started: nothing takes datagrams off the queue.
        for (int i = 0; i < 10; i++) {
            // type, version, epoch 0, sequence number i, length 1, one byte of body
            ByteBuf record = Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0,
                    (byte) i, 0, 1, 1});
            try {
                server.receive(record);
            } finally {
                record.release();
            }
        }
        assertThat(server.counters().recordsReceived()).isEqualTo(10);
        assertThat(server.counters().queueFull()).isEqualTo(6);
        assertThat(server.counters().recordsDropped()).isEqualTo(6);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A record with a valid DTLS 1.2 header (handshake, alert or application data) and random content. */
    private static byte[] plausibleGarbage(SplittableRandom random) {
        int bodyLength = random.nextInt(1, 200);
        byte[] bytes = randomBytes(random, 13 + bodyLength);
        bytes[0] = (byte) (new int[] {21, 22, 23})[random.nextInt(3)];
        bytes[1] = (byte) 0xFE;
        bytes[2] = (byte) 0xFD;
        bytes[3] = 0;
        bytes[4] = (byte) random.nextInt(2);
        bytes[11] = (byte) (bodyLength >> 8);
        bytes[12] = (byte) bodyLength;
        return bytes;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
