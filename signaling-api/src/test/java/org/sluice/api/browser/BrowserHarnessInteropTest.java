package org.sluice.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness: in an isolated network, Chromium loads a page from a loopback Vert.x server,
 * sends its fake camera from one RTCPeerConnection to another, and decodes frames.
 */
class BrowserHarnessInteropTest {

    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(30);

    private static Vertx vertx;
    private static HttpServer pageServer;

    @BeforeAll
    static void servePage() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        byte[] page;
        try (InputStream in = BrowserHarnessInteropTest.class.getResourceAsStream("/interop/loopback.html")) {
            page = in.readAllBytes();
        }
        vertx = Vertx.vertx();
        pageServer = vertx.createHttpServer()
                .requestHandler(request -> request.response().putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(io.vertx.core.buffer.Buffer.buffer(page)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoPeerConnectionsInOnePageDecodeTheFakeCamera() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.openPage();
            page.navigate("http://127.0.0.1:" + pageServer.actualPort() + "/", Duration.ofSeconds(15));
            assertThat(page.evaluate("window.startLoopbackCall()")).isEqualTo("started");

            JsonObject inbound = new JsonObject();
            long deadline = System.nanoTime() + MEDIA_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                inbound = (JsonObject) page.evaluate("window.inboundVideo()");
                if (inbound.getLong("framesDecoded", 0L) > 30 && inbound.getLong("frameWidth", 0L) > 0) {
                    break;
                }
                Thread.sleep(250);
            }
            System.out.println("inbound video after the loopback call: " + inbound.encode());
            assertThat(inbound.getLong("framesDecoded", 0L)).as("framesDecoded, stats %s", inbound).isGreaterThan(30);
            assertThat(inbound.getLong("frameWidth", 0L)).as("frameWidth, stats %s", inbound).isGreaterThan(0);
            assertThat(inbound.getString("connectionState")).isEqualTo("connected");
        }
    }
}
