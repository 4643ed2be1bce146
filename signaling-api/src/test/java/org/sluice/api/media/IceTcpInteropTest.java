package org.sluice.api.media;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.core.engine.EngineConfig;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broadcast over ICE-TCP only: the server's answers withhold UDP candidates, so Chromium must
 * connect to the passive TCP candidate (RFC 6544, RFC 4571 framing). Asserted from the selected
 * candidate pair of both the publisher and the viewer.
 */
class IceTcpInteropTest {

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer(() -> LoopbackMediaServer.start(
            EngineConfig.loopback().withMediaLoops(2).withUdpCandidates(false)));

    @Test
    void publisherAndViewerConnectOverTcp() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage viewer = chromium.openPage();
            viewer.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));
            BrowserPage publisher = chromium.openPage();
            publisher.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));

            MediaPages.watch(viewer, "tcp");
            MediaPages.publish(publisher, "tcp", 640, 360);

            JsonObject stats = MediaPages.awaitStats(() -> MediaPages.viewerStats(viewer),
                    s -> s.getLong("framesDecoded") >= 60 && "tcp".equals(s.getString("pairProtocol")),
                    Duration.ofSeconds(40));
            System.out.println("viewer over ICE-TCP: " + stats.encode());
            assertThat(stats.getString("pairProtocol")).as("viewer's selected pair, %s", stats).isEqualTo("tcp");
            assertThat(stats.getLong("framesDecoded")).as("frames over TCP, %s", stats).isGreaterThanOrEqualTo(60);
            assertThat(stats.getLong("frameWidth")).isEqualTo(640);
            assertThat(stats.getLong("audioPackets")).isGreaterThan(0);

            JsonObject publisherStats = MediaPages.publisherStats(publisher);
            System.out.println("publisher over ICE-TCP: " + publisherStats.encode());
            assertThat(publisherStats.getString("pairProtocol")).as("publisher's selected pair").isEqualTo("tcp");
            assertThat(SERVER.server().engine().transportCounters().transportsOpened.sum()).isEqualTo(2);
        }
    }
}
