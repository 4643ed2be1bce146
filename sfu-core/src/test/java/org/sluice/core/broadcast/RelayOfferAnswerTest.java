package org.sluice.core.broadcast;

import org.junit.jupiter.api.Test;
import org.sluice.core.dtls.DtlsCertificate;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.peer.MediaSection;
import org.sluice.core.peer.OfferNegotiator;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.rtp.codec.Codec;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay's offer as the edge's WHIP ingest negotiates it (audio by SSRC, video with one rid per layer slot, NACK
 * and PLI, the mid and rid extensions), and the edge's answer as the origin reads it, hostile answers included.
 */
class RelayOfferAnswerTest {

    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate();
    private static final OfferNegotiator.Local EDGE = new OfferNegotiator.Local("edgeufrag", "edgepassword0123456789",
            CERTIFICATE.sdpFingerprint(), List.of("candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"));

    private static RelayOffer offer() {
        IceLiteAgent ice = new IceLiteAgent(new SecureRandom(), System::nanoTime, new org.sluice.core.ice.IceAgentListener() {
        });
        return RelayOffer.create("relay1", "show", ice, CERTIFICATE.sdpFingerprint(), 1111, new long[] {21, 22, 23, 24},
                "sluice-show");
    }

    @Test
    void theEdgeNegotiatesEveryLayerAsARid() throws Exception {
        RelayOffer offer = offer();
        OfferNegotiator.Result result = new OfferNegotiator().publish(offer.sdp(), EDGE);
        MediaSection audio = result.sections().stream().filter(s -> s.kind() == MediaKind.AUDIO).findFirst().orElseThrow();
        MediaSection video = result.sections().stream().filter(s -> s.kind() == MediaKind.VIDEO).findFirst().orElseThrow();
        assertThat(audio.remoteSsrcs()).containsExactly(1111L);
        assertThat(video.rids()).containsExactly("0", "1", "2", "3");
        assertThat(video.ridExtensionId()).isPositive();
        assertThat(video.midExtensionId()).isPositive();
        assertThat(video.nack()).isTrue();
        assertThat(video.pli()).isTrue();
        assertThat(video.transportCcExtensionId()).as("no transport-cc: a relay is not paced by an estimate").isZero();
        assertThat(video.remb()).isFalse();
        assertThat(video.codecs().payloadType(Codec.VP8)).isPositive();
        assertThat(video.codecs().hasRtx()).isFalse();

        RelayAnswer answer = RelayAnswer.parse(result.answerSdp());
        assertThat(answer.remote().localRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(answer.remote().ufrag()).isEqualTo("edgeufrag");
        assertThat(answer.candidate().getPort()).isEqualTo(40000);
        assertThat(answer.video().codecs().payloadType(Codec.VP8))
                .isEqualTo(video.codecs().payloadType(Codec.VP8));
        assertThat(answer.video().ridId()).isEqualTo(video.ridExtensionId());
        assertThat(answer.audio().midId()).isEqualTo(audio.midExtensionId());
    }

    @Test
    void unusableAnswersAreRefusedWithAReason() throws Exception {
        String good = new OfferNegotiator().publish(offer().sdp(), EDGE).answerSdp();
        assertThatThrownBy(() -> RelayAnswer.parse("not sdp at all"))
                .isInstanceOf(OfferRejectedException.class);
        assertThatThrownBy(() -> RelayAnswer.parse(good.replaceAll("a=candidate:[^\\r\\n]*\\r\\n", "")))
                .isInstanceOf(OfferRejectedException.class).hasMessageContaining("candidate");
        assertThatThrownBy(() -> RelayAnswer.parse(good.replace("127.0.0.1 40000", "relay.invalid 40000")))
                .isInstanceOf(OfferRejectedException.class).hasMessageContaining("not an address");
        assertThatThrownBy(() -> RelayAnswer.parse(good.replaceAll("a=fingerprint:[^\\r\\n]*\\r\\n", "")))
                .isInstanceOf(OfferRejectedException.class);
        assertThatThrownBy(() -> RelayAnswer.parse(good.replaceAll("a=rtpmap:[^\\r\\n]*\\r\\n", "")))
                .isInstanceOf(OfferRejectedException.class);
    }
}
