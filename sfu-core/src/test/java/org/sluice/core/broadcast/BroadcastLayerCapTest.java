package org.sluice.core.broadcast;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BroadcastLayerCapTest {

    private static final long S = 1_000_000_000L;
    private static final long[] THREE_LAYERS = {150_000, 500_000, 1_100_000};
    private static final int NO_LIMIT = Integer.MAX_VALUE;

    @Test
    void noViewersOrAViewerOnTheTopLayerMeansNoCap() {
        BroadcastLayerCap cap = new BroadcastLayerCap();
        for (int i = 0; i < 20; i++) {
            assertThat(cap.decide(i * S, THREE_LAYERS, new int[0])).isEqualTo(BroadcastLayerCap.NONE);
            assertThat(cap.decide(i * S, THREE_LAYERS, new int[] {0, NO_LIMIT})).isEqualTo(BroadcastLayerCap.NONE);
            assertThat(cap.decide(i * S, THREE_LAYERS, new int[] {1, 2})).isEqualTo(BroadcastLayerCap.NONE);
        }
    }

    @Test
    void viewersHeldBelowTheTopForTheDelayCapTheRateToTheLayersBelowItUntilTheHoldEnds() {
        BroadcastLayerCap cap = new BroadcastLayerCap();
        int[] limited = {0, 0};
        assertThat(cap.decide(0, THREE_LAYERS, limited)).isEqualTo(BroadcastLayerCap.NONE);
        assertThat(cap.decide(BroadcastLayerCap.CAP_DELAY_NANOS - 1, THREE_LAYERS, limited))
                .isEqualTo(BroadcastLayerCap.NONE);
        long expected = (long) ((150_000 + 500_000) * BroadcastLayerCap.HEADROOM) + BroadcastLayerCap.AUDIO_BPS;
        long at = BroadcastLayerCap.CAP_DELAY_NANOS;
        assertThat(cap.decide(at, THREE_LAYERS, limited)).isEqualTo(expected);
        // The top layers stop arriving: the viewers' allocators now sit on the highest live layer; the cap holds.
        long[] capped = {150_000, 480_000, -1};
        assertThat(cap.decide(at + 5 * S, capped, new int[] {1, 1})).isEqualTo(expected);
        // After the hold it is lifted, so the top layer comes back and the allocators look again.
        assertThat(cap.decide(at + BroadcastLayerCap.HOLD_NANOS, capped, new int[] {1, 1}))
                .isEqualTo(BroadcastLayerCap.NONE);
    }

    @Test
    void aLimitThatLastsShorterThanTheDelayOrTheLastViewerLeavingMeansNoCap() {
        BroadcastLayerCap cap = new BroadcastLayerCap();
        cap.decide(0, THREE_LAYERS, new int[] {0});
        cap.decide(2 * S, THREE_LAYERS, new int[] {2});          // it could use the top layer again
        assertThat(cap.decide(4 * S, THREE_LAYERS, new int[] {0})).isEqualTo(BroadcastLayerCap.NONE);
        assertThat(cap.decide(7 * S, THREE_LAYERS, new int[] {0})).isNotEqualTo(BroadcastLayerCap.NONE);
        assertThat(cap.decide(8 * S, THREE_LAYERS, new int[0])).isEqualTo(BroadcastLayerCap.NONE);
    }
}
