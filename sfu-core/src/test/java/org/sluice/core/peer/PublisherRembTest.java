package org.sluice.core.peer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublisherRembTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aPublisherWithTransportCcGetsNoRembUntilCappedAndAFewUncappedOnesAfterTheCapIsLifted() {
        PublisherRemb remb = new PublisherRemb();
        assertThat(remb.next(S, false, 0, 0, 0)).isEqualTo(-1);
        remb.cap(400_000);
        assertThat(remb.capChanged()).isTrue();
        assertThat(remb.next(2 * S, false, 0, 0, 0)).isEqualTo(400_000);
        assertThat(remb.capChanged()).isFalse();
        remb.cap(Long.MAX_VALUE);
        assertThat(remb.capChanged()).isTrue();
        for (int i = 0; i < PublisherRemb.LIFT_REPEATS; i++) {
            assertThat(remb.next((3 + i) * S, false, 0, 0, 0)).isEqualTo(PublisherRemb.UNCAPPED_BPS);
        }
        assertThat(remb.next(10 * S, false, 0, 0, 0)).isEqualTo(-1);
    }

    @Test
    void withoutTransportCcTheEstimateGoesOutCappedByTheRoom() {
        PublisherRemb remb = new PublisherRemb();
        assertThat(remb.next(0, true, 0, 0, 0)).isEqualTo(-1);         // baseline
        assertThat(remb.next(S, true, 250_000, 100, 0)).isEqualTo(3_010_000); // 2 Mbit/s arrived: 1.5 x + 10 k
        remb.cap(500_000);
        assertThat(remb.next(2 * S, true, 500_000, 200, 0)).isEqualTo(500_000);
        remb.cap(0);
        assertThat(remb.next(3 * S, true, 750_000, 300, 0)).isEqualTo(3_010_000);
    }
}
