package org.sluice.core.conference;

import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaKind;
import org.sluice.rtp.codec.Codec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Layer choice of a simulcast track by a subscriber's preferences. */
class PublishedTrackTest {

    private final PublishedTrack track = new PublishedTrack("t", "p", "1", MediaKind.VIDEO, TrackSource.CAMERA, false,
            List.of(new Layer("q", 320, 180), new Layer("h", 640, 360), new Layer("f", 1280, 720)), 2, 0);

    private static SubscriptionPreferences height(int maxHeight) {
        return new SubscriptionPreferences(false, maxHeight, null, 100);
    }

    @Test
    void withoutLimitsTheTopLayerIsChosen() {
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(2);
        assertThat(track.slot(2)).isNotSameAs(track.slot(1));
    }

    @Test
    void theHighestLayerWithinTheHeightLimitIsChosenAndTheLowestWhenNoneFits() {
        assertThat(track.layerFor(height(720))).isEqualTo(2);
        assertThat(track.layerFor(height(719))).isEqualTo(1);
        assertThat(track.layerFor(height(360))).isEqualTo(1);
        assertThat(track.layerFor(height(200))).isZero();
        assertThat(track.layerFor(height(100))).isZero();
    }

    @Test
    void aMaximumLayerByRidCapsTheChoice() {
        assertThat(track.layerFor(new SubscriptionPreferences(false, 0, "h", 100))).isEqualTo(1);
        assertThat(track.layerFor(new SubscriptionPreferences(false, 0, "q", 100))).isZero();
        assertThat(track.layerFor(new SubscriptionPreferences(false, 0, "unknown", 100))).isEqualTo(2);
        assertThat(track.layerFor(new SubscriptionPreferences(false, 200, "h", 100))).isZero();
    }

    @Test
    void ridsMapToLayersAndASingleLayerTrackHasOneSlot() {
        assertThat(track.layerIndex("q")).isZero();
        assertThat(track.layerIndex("f")).isEqualTo(2);
        assertThat(track.layerIndex("x")).isEqualTo(-1);
        PublishedTrack single = new PublishedTrack("s", "p", "0", MediaKind.AUDIO, TrackSource.MICROPHONE, false,
                List.of(), 1, 0);
        assertThat(single.layerIndex(null)).isZero();
        assertThat(single.layerFor(height(100))).isZero();
    }

    private InboundStream arrives(int layer) {
        InboundStream stream = new InboundStream(0x1000 + layer, MediaKind.VIDEO, track.slot(layer),
                new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, 90_000,
                new KeyframeRequester(0x1000 + layer, ssrc -> { }, () -> 0L, 1), List.of());
        stream.markArrival(0);
        track.onStreamLearned(stream, layer);
        return stream;
    }

    @Test
    void aLayerThatStopsIsLeftAndTakenAgainWhenItResumes() {
        long second = 1_000_000_000L;
        InboundStream q = arrives(0);
        InboundStream h = arrives(1);
        InboundStream f = arrives(2);
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(2);

        // At 2 s only q and h still arrive: f (congestion) is no longer live.
        q.markArrival(2 * second);
        h.markArrival(2 * second);
        assertThat(track.updateLiveLayers(2 * second, ConferenceRoom.LAYER_TIMEOUT_NANOS)).isTrue();
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(1);
        assertThat(track.updateLiveLayers(2 * second, ConferenceRoom.LAYER_TIMEOUT_NANOS)).as("no change").isFalse();

        // f comes back on the same SSRC: it is live again at the next evaluation.
        f.markArrival(3 * second);
        q.markArrival(3 * second);
        h.markArrival(3 * second);
        assertThat(track.updateLiveLayers(3 * second, ConferenceRoom.LAYER_TIMEOUT_NANOS)).isTrue();
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(2);

        // Nothing arrives any more: the choice falls back to the declared layers.
        assertThat(track.updateLiveLayers(10 * second, ConferenceRoom.LAYER_TIMEOUT_NANOS)).isTrue();
        assertThat(track.layerFor(height(360))).isEqualTo(1);
    }

    @Test
    void aDeclaredLayerThatNeverArrivesIsNotChosenOnceOthersArrive() {
        AtomicInteger arrivals = new AtomicInteger();
        track.onLayerArrival(arrivals::incrementAndGet);
        arrives(0);
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isZero();
        arrives(1);
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(1);
        assertThat(track.layerFor(height(180))).isZero();
        arrives(1); // the same layer again (a new SSRC after a restart) is not a new arrival
        assertThat(arrivals).hasValue(2);
        arrives(2);
        assertThat(track.layerFor(SubscriptionPreferences.DEFAULT)).isEqualTo(2);
    }

    @Test
    void whenNothingWithinTheLimitsArrivesTheLowestArrivingLayerIsChosen() {
        arrives(2);
        assertThat(track.layerFor(height(180))).isEqualTo(2);
        assertThat(track.layerFor(new SubscriptionPreferences(false, 0, "h", 100))).isEqualTo(2);
    }

    @Test
    void dynacastKeepsOnTheLayersSubscribersWantAndTurnsOnAStoppedOneWhenALimitIsLifted() {
        long second = 1_000_000_000L;
        long off = Dynacast.OFF_DELAY_NANOS;
        Subscription a = new Subscription(track);
        Subscription b = new Subscription(track);
        a.prefer(height(180));
        b.prefer(height(180));
        track.subscriptions().add(a);
        track.subscriptions().add(b);
        assertThat(track.evaluateDynacast(0)).isZero();
        assertThat(track.activeLayers()).containsExactly(Map.entry("q", true), Map.entry("h", true),
                Map.entry("f", true));
        assertThat(track.evaluateDynacast(off)).isEqualTo(2);
        assertThat(track.activeLayers()).containsExactly(Map.entry("q", true), Map.entry("h", false),
                Map.entry("f", false));

        // Only q arrives now; b lifts its limit: f is wanted although it does not arrive, and goes on at once.
        arrives(0).markArrival(off + second);
        track.updateLiveLayers(off + second, ConferenceRoom.LAYER_TIMEOUT_NANOS);
        b.prefer(SubscriptionPreferences.DEFAULT);
        assertThat(b.dynacastTarget(off + second)).isEqualTo(2);
        assertThat(track.evaluateDynacast(off + second)).isEqualTo(1);
        assertThat(track.activeLayers()).containsEntry("f", true).containsEntry("h", false);
        assertThat(track.dynacastToggles()).isEqualTo(3);

        // Both pause: only the lowest layer is kept while they subscribe; nobody subscribing: nothing.
        a.prefer(new SubscriptionPreferences(true, 0, null, 100));
        b.prefer(new SubscriptionPreferences(true, 0, null, 100));
        assertThat(a.dynacastTarget(off + 2 * second)).isEqualTo(-1);
        track.evaluateDynacast(off + 2 * second);
        // f came back a second after it went off, so it waits the longer delay of a flapping layer.
        assertThat(track.evaluateDynacast(2 * off + 2 * second)).isZero();
        assertThat(track.evaluateDynacast(off + 2 * second + Dynacast.FLAP_FACTOR * off)).isEqualTo(1);
        assertThat(track.activeLayers()).containsExactly(Map.entry("q", true), Map.entry("h", false),
                Map.entry("f", false));
        track.subscriptions().clear();
        long later = off + 2 * second + Dynacast.FLAP_FACTOR * off;
        track.evaluateDynacast(later);
        assertThat(track.evaluateDynacast(later + off)).isEqualTo(1);
        assertThat(track.activeLayers().values()).containsOnly(false);
    }

    @Test
    void dynacastLeavesSingleLayerAndAudioTracksAlone() {
        PublishedTrack audio = new PublishedTrack("a", "p", "0", MediaKind.AUDIO, TrackSource.MICROPHONE, false,
                List.of(), 1, 0);
        assertThat(audio.hasDynacast()).isFalse();
        assertThat(audio.evaluateDynacast(Dynacast.OFF_DELAY_NANOS * 2)).isZero();
        assertThat(audio.activeLayers()).isEmpty();
    }
}
