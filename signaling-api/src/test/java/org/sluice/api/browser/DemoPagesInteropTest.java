package org.sluice.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.SluiceServer;
import org.sluice.api.config.ServerConfig;

/**
 * The demo pages in a real browser: publish.html and watch.html load their modules, and what
 * they POST is a complete non-trickle offer (BUNDLE, loopback candidates) in the right direction.
 * The engine here only records offers and answers 503, which the page must show.
 */
class DemoPagesInteropTest {

    private static RecordingSessionService sessions;
    private static SluiceServer server;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        sessions = new RecordingSessionService();
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 10000, 10000, "127.0.0.1", List.of("127.0.0.1"),
                Optional.empty(), List.of(), Duration.ofSeconds(10), 1);
        server = SluiceServer.start(config, sessions, Clock.systemUTC());
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static RecordingSessionService.Offer submit(String pageName, String room) throws Exception {
        BrowserPage page = chromium.openPage();
        page.navigate("http://127.0.0.1:" + server.httpPort() + "/" + pageName, Duration.ofSeconds(15));
        page.evaluate("document.getElementById('room').value = '" + room + "'; document.getElementById('start').click()");
        RecordingSessionService.Offer offer = sessions.offers.poll(20, TimeUnit.SECONDS);
        assertThat(offer).as("an offer POSTed by " + pageName).isNotNull();
        Object state = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            state = page.evaluate("document.getElementById('state').textContent");
            if (String.valueOf(state).startsWith("error")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(String.valueOf(state)).contains("503").contains("recording only");
        return offer;
    }

    @Test
    void publishPageOffersCameraAndMicrophone() throws Exception {
        RecordingSessionService.Offer offer = submit("publish.html", "demo-a");
        assertThat(offer.kind()).isEqualTo("publish");
        assertThat(offer.room()).isEqualTo("demo-a");
        assertThat(offer.sdp()).contains("a=group:BUNDLE 0 1").contains("m=audio").contains("m=video")
                .contains("a=sendonly").doesNotContain("a=recvonly")
                .containsPattern("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host");
    }

    @Test
    void watchPageOffersToReceive() throws Exception {
        RecordingSessionService.Offer offer = submit("watch.html", "demo-b");
        assertThat(offer.kind()).isEqualTo("subscribe");
        assertThat(offer.room()).isEqualTo("demo-b");
        assertThat(offer.sdp()).contains("a=group:BUNDLE 0 1").contains("a=recvonly").doesNotContain("a=sendonly")
                .containsPattern("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host");
    }
}
