package org.sluice.core.broadcast;

import org.junit.jupiter.api.Test;
import org.sluice.core.broadcast.BroadcastLayerCap.LayerSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.broadcast.BroadcastLayerCap.AUDIO_BPS;
import static org.sluice.core.broadcast.BroadcastLayerCap.HOLD_NANOS;
import static org.sluice.core.broadcast.BroadcastLayerCap.LIMITED_FOR_NANOS;
import static org.sluice.core.broadcast.BroadcastLayerCap.NONE;

class BroadcastLayerCapTest {

    private static final long SECOND = 1_000_000_000L;
    /** q, h, f at 150, 500 and 1500 kbit/s, all arriving. */
    private static final LayerSnapshot ALL = layers(true, true, true);
    private static final LayerSnapshot TOP_STOPPED = layers(true, true, false);
    private static final int[] ON_H = {1, 1};

    private final BroadcastLayerCap cap = new BroadcastLayerCap();
    private long now;
    /** Every viewer's estimate: enough for h, not for f. */
    private long estimate = 700_000;

    BroadcastLayerCapTest() {
        cap.decide(-BroadcastLayerCap.JOIN_SETTLE_NANOS, ALL, new int[0], new long[0], 2); // the viewers joined then
    }

    @Test
    void noCapWhileAnyViewerUsesTheTopLayerOrNoViewerWatches() {
        for (int s = 0; s < 10; s++) {
            assertThat(tick(ALL, new int[] {1, 2})).isEqualTo(NONE);
            assertThat(tick(ALL, new int[] {1, Integer.MAX_VALUE})).as("a viewer without an estimate").isEqualTo(NONE);
            assertThat(tick(ALL, new int[0])).isEqualTo(NONE);
        }
    }

    @Test
    void whenEveryViewerStaysBelowTheTopTheCapDescendsUntilTheTopStopsThenHoldsAndIsLifted() {
        assertThat(tick(ALL, ON_H)).isEqualTo(NONE);
        now += LIMITED_FOR_NANOS - 2 * SECOND;
        assertThat(tick(ALL, ON_H)).as("not yet limited for long enough").isEqualTo(NONE);
        long start = tick(ALL, ON_H);
        assertThat(start).as("a little above what the publisher sends").isEqualTo((long) (2150_000 * 1.2) + AUDIO_BPS);
        long second = tick(ALL, ON_H);
        assertThat(second).isEqualTo((long) (start * BroadcastLayerCap.STEP));
        long third = tick(ALL, ON_H);
        assertThat(third).isLessThan(second);

        assertThat(tick(TOP_STOPPED, ON_H)).as("the top stopped: held there").isEqualTo(third);
        for (int s = 1; s < HOLD_NANOS / SECOND; s++) {
            assertThat(tick(TOP_STOPPED, ON_H)).isEqualTo(third);
        }
        assertThat(tick(TOP_STOPPED, ON_H)).as("lifted after the hold").isEqualTo(NONE);
        assertThat(cap.caps()).isEqualTo(1);
    }

    @Test
    void theCapNeverFallsBelowTheLayersBeneathWithHeadroom() {
        long last = NONE;
        for (int s = 0; s < 15; s++) {
            last = tick(ALL, ON_H);
        }
        assertThat(last).isEqualTo((long) (650_000 * BroadcastLayerCap.FLOOR_HEADROOM) + AUDIO_BPS);
    }

    @Test
    void aDescentThatNeverStopsTheLayerIsGivenUp() {
        long last = 0;
        int capped = 0;
        for (int s = 0; s < 3 + 2 * HOLD_NANOS / SECOND + 1; s++) {
            last = tick(ALL, ON_H);
            capped += last == NONE ? 0 : 1;
        }
        assertThat(last).isEqualTo(NONE);
        assertThat(capped).as("seconds capped").isEqualTo(2 * HOLD_NANOS / SECOND);
    }

    @Test
    void aViewerJoiningOrTheLastLeavingLiftsTheCapAtOnceAndNoneStartsWhileANewViewerSettles() {
        long joins = 2;
        for (int s = 0; s < 5; s++) {
            tick(ALL, ON_H, joins);
        }
        assertThat(tick(TOP_STOPPED, ON_H, joins)).isNotEqualTo(NONE);
        int[] three = {1, 1, 0};
        assertThat(tick(TOP_STOPPED, three, joins + 1)).as("a viewer joined").isEqualTo(NONE);

        for (int s = 1; s < BroadcastLayerCap.JOIN_SETTLE_NANOS / SECOND; s++) {
            assertThat(tick(ALL, three, joins + 1)).as("%d s after the join", s).isEqualTo(NONE);
        }
        assertThat(tick(ALL, three, joins + 1)).as("settled and limited for long enough").isNotEqualTo(NONE);
        assertThat(tick(TOP_STOPPED, three, joins + 1)).isNotEqualTo(NONE);
        assertThat(tick(TOP_STOPPED, new int[0], joins + 1)).as("nobody watches").isEqualTo(NONE);
    }

    @Test
    void whenTheViewersAlsoLeaveTheNextLayerUnusedItIsCappedTooFromWhereTheCapStands() {
        int[] onQ = {0, 0};
        estimate = 300_000; // enough for q only
        for (int s = 0; s < 4; s++) {
            tick(ALL, onQ);
        }
        long held = tick(TOP_STOPPED, onQ);
        assertThat(cap.unwantedLayer()).isEqualTo(2);
        LayerSnapshot topGone = new LayerSnapshot(new long[] {150_000, 500_000, -1, -1},
                new boolean[] {true, true, false, false});
        now += LIMITED_FOR_NANOS - 2 * SECOND;
        assertThat(tick(topGone, onQ)).isEqualTo(held);
        assertThat(tick(topGone, onQ)).as("h unused too: descending from the held cap").isEqualTo(held);
        assertThat(cap.unwantedLayer()).isEqualTo(1);
        assertThat(tick(topGone, onQ)).isLessThan(held);
    }

    @Test
    void aLayerThatComesBackUnderTheHeldCapIsDescendedFurther() {
        for (int s = 0; s < 4; s++) {
            tick(ALL, ON_H);
        }
        long held = tick(TOP_STOPPED, ON_H);
        assertThat(tick(ALL, ON_H)).isLessThan(held);
    }

    @Test
    void aViewerWhoseEstimateNowCarriesTheLayerOrWhoTookItLiftsTheCap() {
        for (int s = 0; s < 4; s++) {
            tick(ALL, ON_H);
        }
        assertThat(tick(TOP_STOPPED, ON_H)).isNotEqualTo(NONE);
        estimate = (long) ((1_500_000 + AUDIO_BPS) * BroadcastLayerCap.LIFT_HEADROOM) - 1;
        assertThat(tick(TOP_STOPPED, ON_H)).as("just short of f with headroom").isNotEqualTo(NONE);
        estimate++;
        assertThat(tick(TOP_STOPPED, ON_H)).as("the link now carries f").isEqualTo(NONE);

        estimate = 700_000;
        for (int s = 0; s < 4; s++) {
            tick(ALL, ON_H);
        }
        assertThat(tick(ALL, ON_H)).as("descending").isNotEqualTo(NONE);
        assertThat(tick(ALL, new int[] {1, 2})).as("a viewer moved up to f while it still came").isEqualTo(NONE);
    }

    private long tick(LayerSnapshot layers, int[] viewers) {
        return tick(layers, viewers, 2);
    }

    private long tick(LayerSnapshot layers, int[] viewers, long joins) {
        long[] estimates = new long[viewers.length];
        java.util.Arrays.fill(estimates, estimate);
        long decided = cap.decide(now, layers, viewers, estimates, joins);
        now += SECOND;
        return decided;
    }

    /** q, h, f at 150, 500 and 1500 kbit/s, each live; {@code flowing}: whether it had a packet just now. */
    private static LayerSnapshot layers(boolean... flowing) {
        return new LayerSnapshot(new long[] {150_000, 500_000, 1_500_000, -1}, new boolean[] {flowing[0], flowing[1],
                flowing[2], false});
    }
}
