package org.sluice.core.conference;

import org.junit.jupiter.api.Test;
import org.sluice.core.forward.MediaKind;

import java.util.List;

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
}
