package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fixtures;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ManualScheduler;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conference offers as other browsers write them, answered by the real engine: Firefox (captured from Firefox
 * 153 ESR running the conferencing client's transceiver layout: {@code max-bundle}, so every section but the BUNDLE
 * tag is {@code m=... 0} with {@code a=bundle-only}; simulcast with {@code a=ssrc} lines and FID groups per layer)
 * and Safari (libwebrtc: H.264 first, mDNS host candidate). Each publishes its sending sections and receives in
 * its {@code recvonly} one.
 */
class BrowserConferenceOffersTest {

    private static final List<Layer> LAYERS = List.of(new Layer("q", 80, 45), new Layer("h", 160, 90),
            new Layer("f", 320, 180));

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(),
                new AdjustableNanoClock(), new ManualScheduler(), null);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void firefoxBundleOnlySectionsArePublishedAndReceiveRemoteTracks() throws Exception {
        String offer = Fixtures.load("firefox-conference.sdp");
        Participant other = join("other");
        NegotiationResult first = other.offer(Fixtures.load("chromium-sendonly.sdp"), List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, List.of())));
        assertThat(first.published()).hasSize(2);

        Participant firefox = join("firefox");
        NegotiationResult result = firefox.offer(offer, List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, LAYERS)));

        assertThat(result.published()).extracting(NegotiationResult.Published::mid).containsExactly("0", "1");
        SessionDescription answer = SdpParser.parse(result.answerSdp());
        assertThat(answer.media()).extracting(MediaDescription::mid).containsExactly("0", "1", "2");
        MediaDescription camera = answer.media().get(1);
        assertThat(camera.port()).as("a bundle-only section is accepted, not rejected").isNotZero();
        assertThat(camera.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(camera.simulcast().toString()).isEqualTo("recv q;h;f");
        assertThat(camera.rids()).extracting(r -> r.id()).containsExactly("q", "h", "f");
        TrackInfo published = firefox.info().tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO)
                .findFirst().orElseThrow();
        assertThat(published.layers()).extracting(Layer::rid).containsExactly("q", "h", "f");

        // The recvonly section (bundle-only too) carries the other participant's camera.
        MediaDescription receive = answer.media().get(2);
        assertThat(receive.port()).isNotZero();
        assertThat(receive.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(receive.msids()).hasSize(1);
        assertThat(result.receiving()).extracting(NegotiationResult.Receiving::mid).containsExactly("2");
        assertThat(result.receiving().get(0).participantId()).isEqualTo(other.id());

        // The same offer again (a renegotiation with nothing new) keeps both tracks and the receive section.
        NegotiationResult again = firefox.offer(offer, List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, LAYERS)));
        assertThat(again.published()).isEqualTo(result.published());
        assertThat(again.receiving()).isEqualTo(result.receiving());
    }

    @Test
    void firefoxSectionWithoutBundleOnlyOnPortZeroIsStillRejected() throws Exception {
        String offer = Fixtures.load("firefox-conference.sdp");
        // Without a=bundle-only, port 0 means the offerer rejected (stopped) the section.
        int camera = offer.indexOf("a=mid:1");
        int bundleOnly = offer.lastIndexOf("a=bundle-only\r\n", camera);
        String stopped = offer.substring(0, bundleOnly) + offer.substring(bundleOnly + "a=bundle-only\r\n".length());
        Participant firefox = join("firefox");
        NegotiationResult result = firefox.offer(stopped, List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of())));
        assertThat(result.published()).extracting(NegotiationResult.Published::mid).containsExactly("0");
        assertThat(SdpParser.parse(result.answerSdp()).media().get(1).port()).isZero();
        ConferenceException refused = org.junit.jupiter.api.Assertions.assertThrows(ConferenceException.class,
                () -> firefox.offer(stopped, List.of(new TrackPublication("1", TrackSource.CAMERA, false, List.of()))));
        assertThat(refused.getMessage()).contains("not a sending section");
    }

    @Test
    void safariConferenceOfferPublishesH264AndReceives() throws Exception {
        Participant other = join("other");
        other.offer(Fixtures.load("chromium-sendonly.sdp"), List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, List.of())));

        Participant safari = join("safari");
        NegotiationResult result = safari.offer(Fixtures.load("safari-conference.sdp"), List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, List.of())));
        assertThat(result.published()).extracting(NegotiationResult.Published::mid).containsExactly("0", "1");
        SessionDescription answer = SdpParser.parse(result.answerSdp());
        MediaDescription camera = answer.media().get(1);
        assertThat(camera.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(camera.rtpMap(Integer.parseInt(camera.formats().get(0))).encodingName())
                .as("Safari's first supported codec, H.264 constrained baseline").isEqualToIgnoringCase("H264");
        assertThat(answer.media().get(2).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(result.receiving()).extracting(NegotiationResult.Receiving::mid).containsExactly("2");
    }

    private Participant join(String name) throws ConferenceException {
        return engine.conferences().join(new JoinRequest("room", name, null, true, true, true), e -> { });
    }
}
