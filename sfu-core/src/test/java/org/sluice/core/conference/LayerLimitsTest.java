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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.conference.LayerLimits.ALL;

/** How preferences become the spatial and temporal limits of a subscription's stream. */
class LayerLimitsTest {

    /** Cumulative rates of one spatial layer, temporal layers lowest first. */
    private static LayerLimits.FrameRates rates(double... fps) {
        return (spatial, temporal) -> spatial == 0 && temporal < fps.length ? fps[temporal] : 0;
    }

    @Test
    void theHighestTemporalLayerWithinTheFrameRateIsChosen() {
        LayerLimits.FrameRates l1t3 = rates(7.5, 15, 30);
        assertThat(LayerLimits.temporalFor(l1t3, 0, 0, -1)).isEqualTo(ALL);
        assertThat(LayerLimits.temporalFor(l1t3, 0, 15, -1)).isEqualTo(1);
        assertThat(LayerLimits.temporalFor(l1t3, 0, 7.5, -1)).isZero();
        assertThat(LayerLimits.temporalFor(l1t3, 0, 10, -1)).isZero();
        assertThat(LayerLimits.temporalFor(l1t3, 0, 5, -1)).as("the lowest when none fits").isZero();
        assertThat(LayerLimits.temporalFor(l1t3, 0, 30, -1)).isEqualTo(2);
        assertThat(LayerLimits.temporalFor(l1t3, 0, 60, -1)).isEqualTo(2);
        // A publisher short of 30 fps: 15 fps still gets T1, not everything.
        assertThat(LayerLimits.temporalFor(rates(6.25, 12.5, 25), 0, 15, -1)).isEqualTo(1);
        // Measured a frame high: still fits.
        assertThat(LayerLimits.temporalFor(rates(8, 16, 31), 0, 15, -1)).isEqualTo(1);
    }

    @Test
    void theAppliedLayerIsKeptWhileItsRateIsClose() {
        LayerLimits.FrameRates high = rates(8.5, 17, 34);
        assertThat(LayerLimits.temporalFor(high, 0, 15, 1)).isEqualTo(1);
        assertThat(LayerLimits.temporalFor(high, 0, 15, 0)).isZero();
        assertThat(LayerLimits.temporalFor(rates(10, 20, 40), 0, 15, 1)).isZero();
    }

    @Test
    void beforeAnythingIsMeasuredTheLowestLayerOrTheAppliedOne() {
        LayerLimits.FrameRates none = rates();
        assertThat(LayerLimits.temporalFor(none, 0, 15, -1)).isZero();
        assertThat(LayerLimits.temporalFor(none, 0, 15, ALL)).isZero();
        assertThat(LayerLimits.temporalFor(none, 0, 15, 1)).isEqualTo(1);
        assertThat(LayerLimits.temporalFor(rates(30), 0, 15, -1)).as("no temporal layers: all of T0").isZero();
    }

    @Test
    void theHeightLimitPicksAnSvcSpatialLayer() {
        assertThat(LayerLimits.spatialFor(360, 720, 3, 2)).isEqualTo(1);
        assertThat(LayerLimits.spatialFor(719, 720, 3, 2)).isEqualTo(1);
        assertThat(LayerLimits.spatialFor(720, 720, 3, 2)).isEqualTo(ALL);
        assertThat(LayerLimits.spatialFor(2000, 720, 3, 2)).isEqualTo(ALL);
        assertThat(LayerLimits.spatialFor(180, 720, 3, 2)).isZero();
        assertThat(LayerLimits.spatialFor(100, 720, 3, 2)).as("the lowest when none fits").isZero();
        assertThat(LayerLimits.spatialFor(0, 720, 3, 2)).isEqualTo(ALL);
        assertThat(LayerLimits.spatialFor(360, 0, 3, 2)).as("no declared height").isEqualTo(ALL);
        assertThat(LayerLimits.spatialFor(360, 720, 1, 2)).as("one spatial layer").isEqualTo(ALL);
        assertThat(LayerLimits.spatialFor(540, 1080, 2, 2)).isZero();
        assertThat(LayerLimits.spatialFor(480, 720, 2, 1.5)).isZero();
        assertThat(LayerLimits.spatialFor(360, 720, 3, 1.5)).isZero();
        assertThat(LayerLimits.spatialFor(500, 720, 3, 1.5)).isEqualTo(1);
    }

    @Test
    void scalabilityModes() {
        assertThat(LayerLimits.spatialLayers("L3T3_KEY")).isEqualTo(3);
        assertThat(LayerLimits.temporalLayers("L3T3_KEY")).isEqualTo(3);
        assertThat(LayerLimits.spatialLayers("L1T3")).isEqualTo(1);
        assertThat(LayerLimits.temporalLayers("L1T2")).isEqualTo(2);
        assertThat(LayerLimits.spatialLayers("L2T2_KEY_SHIFT")).isEqualTo(2);
        assertThat(LayerLimits.spatialRatio("L2T3h")).isEqualTo(1.5);
        assertThat(LayerLimits.spatialRatio("L3T3_KEY")).isEqualTo(2.0);
        assertThat(LayerLimits.spatialLayers("S3T3")).isZero();
        assertThat(LayerLimits.spatialLayers(null)).isZero();
        assertThat(LayerLimits.spatialRatio(null)).isEqualTo(2.0);
    }

    @Test
    void anSvcTrackMapsMaxHeightOnItsDeclaredLayers() {
        PublishedTrack svc = new PublishedTrack("t", "p", "1", MediaKind.VIDEO, TrackSource.CAMERA, false, List.of(),
                1, 0, 720, "L3T3_KEY");
        assertThat(svc.spatialLimit(SubscriptionPreferences.DEFAULT)).isEqualTo(ALL);
        assertThat(svc.spatialLimit(new SubscriptionPreferences(false, 360, null, 100))).isEqualTo(1);
        assertThat(svc.spatialLimit(new SubscriptionPreferences(false, 0, null, 100, 0, 0, -1))).isZero();
        assertThat(svc.spatialLimit(new SubscriptionPreferences(false, 360, null, 100, 0, 2, -1))).isEqualTo(1);
    }

    @Test
    void withoutADeclaredModeTheMeasuredSpatialLayersCount() {
        PublishedTrack svc = new PublishedTrack("t", "p", "1", MediaKind.VIDEO, TrackSource.CAMERA, false, List.of(),
                1, 0, 720, null);
        SubscriptionPreferences preferences = new SubscriptionPreferences(false, 360, null, 100);
        assertThat(svc.spatialLimit(preferences)).as("nothing measured yet").isEqualTo(ALL);
        InboundStream stream = new InboundStream(0x1000, MediaKind.VIDEO, svc.slot(0),
                new CodecTable(Map.of(98, Codec.VP9)), ExtensionIds.NONE, 90_000,
                new KeyframeRequester(0x1000, ssrc -> { }, () -> 0L, 1), List.of());
        svc.onStreamLearned(stream, 0);
        double[] fps = new double[16];
        long[] bps = new long[16];
        for (int s = 0; s < 3; s++) {
            fps[s * 4] = 10;
            fps[s * 4 + 1] = 20;
        }
        stream.publishRates(fps, bps);
        assertThat(svc.rates(0).highestSpatial()).isEqualTo(2);
        assertThat(svc.spatialLimit(preferences)).isEqualTo(1);
    }

    @Test
    void simulcastAndAudioTracksHaveNoSpatialLimitFromHeight() {
        PublishedTrack simulcast = new PublishedTrack("t", "p", "1", MediaKind.VIDEO, TrackSource.CAMERA, false,
                List.of(new Layer("q", 320, 180), new Layer("f", 1280, 720)), 1, 0, 720, "L1T3");
        assertThat(simulcast.spatialLimit(new SubscriptionPreferences(false, 360, null, 100))).isEqualTo(ALL);
        PublishedTrack audio = new PublishedTrack("a", "p", "0", MediaKind.AUDIO, TrackSource.MICROPHONE, false,
                List.of(), 1, 0);
        assertThat(audio.spatialLimit(new SubscriptionPreferences(false, 360, null, 100))).isEqualTo(ALL);
    }

    @Test
    void preferencesValidateTheNewLimits() {
        SubscriptionPreferences old = new SubscriptionPreferences(true, 360, "h", 50);
        assertThat(old.maxFramerate()).isZero();
        assertThat(old.maxSpatialLayer()).isEqualTo(-1);
        assertThat(old.maxTemporalLayer()).isEqualTo(-1);
        assertThat(new SubscriptionPreferences(false, 0, null, 100, 7.5, 2, 1).maxFramerate()).isEqualTo(7.5);
        assertThatThrownBy(() -> new SubscriptionPreferences(false, 0, null, 100, -1, -1, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionPreferences(false, 0, null, 100, Double.NaN, -1, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionPreferences(false, 0, null, 100, 0, 8, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionPreferences(false, 0, null, 100, 0, -1, -2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
