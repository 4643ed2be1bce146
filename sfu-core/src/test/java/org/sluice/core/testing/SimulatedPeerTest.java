package org.sluice.core.testing;

import org.junit.jupiter.api.Test;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.dtls.DtlsExecutors;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated peer's own pieces: the offers it writes, and sharing a certificate and DTLS executor. */
class SimulatedPeerTest {

    @Test
    void publisherOfferHasChromiumShape() throws Exception {
        try (SimulatedPeer peer = SimulatedPeer.open("shape")) {
            PeerOffer offer = PeerOffer.publisher(peer);
            SessionDescription sdp = SdpParser.parse(offer.sdp());
            assertThat(sdp.group("BUNDLE").mids()).containsExactly("0", "1");
            assertThat(sdp.media()).hasSize(2);
            for (MediaDescription media : sdp.media()) {
                assertThat(media.rtcpMux()).isTrue();
                assertThat(media.iceUfrag()).isEqualTo(peer.ufrag());
                assertThat(media.icePwd()).isEqualTo(peer.password());
                assertThat(media.setup()).isEqualTo(Setup.ACTPASS);
                assertThat(media.fingerprints().get(0).algorithm() + " " + media.fingerprints().get(0).value())
                        .isEqualToIgnoringCase(peer.certificate().sdpFingerprint());
                assertThat(media.direction()).isEqualTo(Direction.SENDONLY);
                assertThat(media.candidates().get(0).port()).isEqualTo(peer.localAddress().getPort());
            }
            assertThat(sdp.media().get(0).rtpMap(111).encodingName()).isEqualTo("opus");
            assertThat(sdp.media().get(1).rtpMap(96).encodingName()).isEqualTo("VP8");
            assertThat(sdp.media().get(0).ssrcs()).extracting(s -> s.ssrc()).containsOnly(offer.audioSsrc());
            assertThat(sdp.media().get(1).ssrcs()).extracting(s -> s.ssrc()).containsOnly(offer.videoSsrc());
            assertThat(sdp.media().get(1).ssrcs()).extracting(s -> s.attribute()).containsExactly("cname", "msid");

            SessionDescription viewer = SdpParser.parse(PeerOffer.viewer(peer).sdp());
            assertThat(viewer.media()).allMatch(m -> m.direction() == Direction.RECVONLY && m.ssrcs().isEmpty());
            assertThat(SdpParser.parse(PeerOffer.viewer(peer).withoutBundle().sdp()).group("BUNDLE")).isNull();
        }
    }

    @Test
    void peersSharingACertificateAndAnExecutorConnect() throws Exception {
        ExecutorService dtls = DtlsExecutors.newHandshakeExecutor(2);
        DtlsCertificate certificate = DtlsCertificate.generate();
        try (SfuEngine engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(),
                System::nanoTime)) {
            for (String name : List.of("a", "b", "c")) {
                try (SimulatedPeer peer = SimulatedPeer.open(name, certificate, dtls)) {
                    peer.accept(engine.subscribe("shared", PeerOffer.viewer(peer).sdp()).answerSdp());
                    peer.connect(Duration.ofSeconds(5));
                    assertThat(peer.isConnected()).isTrue();
                }
            }
            assertThat(dtls.isShutdown()).as("a shared executor outlives its peers").isFalse();
        } finally {
            dtls.shutdownNow();
            dtls.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
