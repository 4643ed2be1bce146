package org.sluice.core.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the allocator is offered of a simulcast stream whose layers each carry temporal layers. */
class LegAllocatorLayersTest {

    @Test
    void aboveTheLowestLayerOnlyTheFullFrameRateIsOffered() {
        // q, h, f with three temporal layers each (cumulative rates), as Chrome sends VP8 simulcast.
        long[][] layers = {
                {60_000, 100_000, 150_000},
                {200_000, 330_000, 500_000},
                {600_000, 1_000_000, 1_500_000}};

        LegAllocator.onlyFullFrameRateAboveLowest(layers, 2);

        assertThat(layers[0]).containsExactly(60_000, 100_000, 150_000);
        assertThat(layers[1]).containsExactly(0, 0, 500_000);
        assertThat(layers[2]).containsExactly(0, 0, 1_500_000);
    }

    @Test
    void theWishedFrameRateIsTheTopAndAMissingLowLayerMovesTheLowestUp() {
        // q not arriving; the subscriber wishes at most temporal layer 1 (half the frame rate).
        long[][] layers = {
                {0, 0, 0},
                {200_000, 330_000, 500_000},
                {600_000, 1_000_000, 1_500_000}};

        LegAllocator.onlyFullFrameRateAboveLowest(layers, 1);

        assertThat(layers[1]).containsExactly(200_000, 330_000, 500_000);
        assertThat(layers[2]).containsExactly(0, 1_000_000, 1_500_000);
    }
}
