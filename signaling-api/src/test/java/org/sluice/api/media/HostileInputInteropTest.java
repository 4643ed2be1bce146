package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.transport.TransportCounters;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against a server with an established broadcast (Chromium publisher and viewer):
 * malformed and unsupported offers, wrong tokens, a wrong DTLS fingerprint, and garbage or truncated
 * STUN, DTLS and SRTP datagrams and ICE-TCP frames. Each gets its clear error or a counted drop, and
 * the established session keeps flowing.
 */
class HostileInputInteropTest {

    private static final String SECRET = "interop-secret-0123456789";
    private static final String ROOM = "steady";

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer(
            () -> LoopbackMediaServer.start(EngineConfig.loopback().withMediaLoops(2), Optional.of(SECRET)));
    private static final TokenIssuer tokens = new TokenIssuer(SECRET, Clock.systemUTC());
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void badInputIsRefusedOrDroppedAndTheEstablishedSessionKeepsFlowing() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage viewer = page(chromium);
            BrowserPage publisher = page(chromium);
            MediaPages.watch(viewer, ROOM, token(new Grant(ROOM, false, true)));
            MediaPages.publish(publisher, ROOM, 640, 360, token(new Grant(ROOM, true, false)));
            JsonObject flowing = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= 30, Duration.ofSeconds(40));
            assertThat(flowing.getLong("framesDecoded")).as("established session, %s", flowing).isGreaterThanOrEqualTo(30);

            String publishToken = token(new Grant("other", true, true));
            String goodOffer = MediaPages.freshOffer(viewer, "recvonly");

            // Signaling: each bad request gets its status and a short plain reason, never a stack trace.
            assertRefused(post("/whep/other", "this is not SDP", publishToken), 400);
            assertRefused(post("/whep/other", goodOffer.replaceAll("a=group:BUNDLE[^\r\n]*\r\n", ""), publishToken), 400);
            assertRefused(post("/whep/other", goodOffer.replaceAll("a=rtpmap:(\\d+) [A-Za-z0-9-]+/",
                    "a=rtpmap:$1 X-UNKNOWN/"), publishToken), 406);
            assertRefused(post("/whep/other", goodOffer, null), 401);
            assertRefused(post("/whep/other", goodOffer, "not.a.jwt"), 401);
            assertRefused(post("/whep/other", goodOffer, new TokenIssuer("another-secret-0123456789", Clock.systemUTC())
                    .issue(Grant.EVERYTHING, Duration.ofMinutes(5))), 401);
            assertRefused(post("/whep/other", goodOffer, token(new Grant("other", true, false))), 401);
            assertRefused(post("/whip/" + ROOM, MediaPages.freshOffer(viewer, "sendonly"),
                    token(new Grant(ROOM, true, false))), 409);

            // A peer whose certificate does not match the fingerprint in its offer never gets keys.
            TransportCounters counters = SERVER.server().engine().transportCounters();
            long dtlsFailuresBefore = counters.dtlsFailures.sum();
            Object state = viewer.evaluate("""
                    (async () => {
                      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
                      pc.addTransceiver('video', { direction: 'recvonly' });
                      const offer = await pc.createOffer();
                      await pc.setLocalDescription(offer);
                      const forged = offer.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/g,
                          (m, first) => 'a=fingerprint:sha-256 ' + (first === '00' ? '01' : '00'));
                      const response = await fetch('/whep/other', { method: 'POST',
                          headers: { 'Content-Type': 'application/sdp', 'Authorization': 'Bearer %s' }, body: forged });
                      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
                      const deadline = Date.now() + 15000;
                      while (Date.now() < deadline && !['failed', 'connected'].includes(pc.connectionState)) {
                        await new Promise(r => setTimeout(r, 100));
                      }
                      const result = pc.connectionState;
                      pc.close();
                      return result;
                    })()
                    """.formatted(publishToken));
            assertThat(state).as("a peer with a forged fingerprint").isEqualTo("failed");
            awaitCount(() -> counters.dtlsFailures.sum(), dtlsFailuresBefore + 1);

            // Garbage datagrams of every class from an address no transport knows: dropped and counted.
            long unknownBefore = counters.unknownSender.sum();
            int sent = sendGarbageDatagrams(SERVER.server().engine().udpPort());
            awaitCount(() -> counters.unknownSender.sum(), unknownBefore + sent);

            // Garbage ICE-TCP: unknown frames are dropped, an oversized frame ends only that connection.
            sendGarbageTcp(SERVER.server().engine().tcpPort());

            // The established broadcast is untouched.
            long before = MediaPages.viewerStats(viewer).getLong("framesDecoded");
            JsonObject after = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= before + 30, Duration.ofSeconds(20));
            System.out.println("established viewer after the hostile input: " + after.encode());
            assertThat(after.getLong("framesDecoded")).as("still decoding, %s", after).isGreaterThanOrEqualTo(before + 30);
            assertThat(after.getString("connectionState")).isEqualTo("connected");
        }
    }

    private static int sendGarbageDatagrams(int port) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < 400; i++) {
                byte[] datagram = new byte[1 + random.nextInt(1400)];
                random.nextBytes(datagram);
                switch (i % 4) {
                    case 0 -> { // STUN-looking: binding request header, cookie, then junk or truncation
                        ByteBuffer.wrap(datagram).put(new byte[] {0, 1}, 0, Math.min(2, datagram.length));
                        if (datagram.length >= 8) {
                            ByteBuffer.wrap(datagram, 4, 4).putInt(0x2112A442);
                        }
                    }
                    case 1 -> datagram[0] = (byte) (20 + random.nextInt(44)); // DTLS content-type range
                    case 2 -> datagram[0] = (byte) 0x80; // RTP/SRTP
                    default -> { } // anything
                }
                if (datagram[0] > 3 || datagram[0] < 0 || i % 4 == 0) {
                    socket.send(new DatagramPacket(datagram, datagram.length, target));
                    sent++;
                }
                if (i % 50 == 0) {
                    Thread.sleep(2);
                }
            }
        }
        return sent;
    }

    private static void sendGarbageTcp(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            byte[] junk = new byte[64];
            new SplittableRandom(11).nextBytes(junk);
            for (int i = 0; i < 20; i++) {
                out.write(new byte[] {0, 64});
                out.write(junk);
            }
            out.flush();
            // A frame longer than the connection will ever deliver, then close.
            out.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            out.flush();
        }
    }

    private static void assertRefused(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status for %s", response.body()).isEqualTo(status);
        assertThat(response.body()).as("a short plain reason").isNotBlank().hasSizeLessThan(300)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SERVER.origin() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(Grant grant) {
        return tokens.issue(grant, Duration.ofMinutes(10));
    }

    private static BrowserPage page(Chromium chromium) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
        return page;
    }

    private static void awaitCount(java.util.function.LongSupplier counter, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (counter.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(counter.getAsLong()).isGreaterThanOrEqualTo(atLeast);
    }
}
