package org.sluice.bandwidth.feedback;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiveSideEstimatorTest {

    private static final long S = 1_000_000_000L;

    /** Feeds {@code seconds} one-second intervals at {@code bps} with {@code lossPercent} of 100 packets lost each. */
    private static final class Feed {
        final ReceiveSideEstimator estimator = new ReceiveSideEstimator(30_000, 50_000_000);
        long now;
        long octets;
        long expected;
        long lost;

        Feed() {
            estimator.update(0, 0, 0, 0);
        }

        long run(int seconds, long bps, int lossPercent) {
            long estimate = -1;
            for (int i = 0; i < seconds; i++) {
                now += S;
                octets += bps / 8;
                expected += 100;
                lost += lossPercent;
                estimate = estimator.update(now, octets, expected, lost);
            }
            return estimate;
        }
    }

    @Test
    void theFirstIntervalGivesOneAndAHalfTimesTheIncomingRate() {
        Feed f = new Feed();
        assertThat(f.estimator.estimateBps()).isEqualTo(-1);
        assertThat(f.run(1, 1_000_000, 0)).isEqualTo(1_510_000);
    }

    @Test
    void withoutLossItGrowsEightPercentASecondButNotPastOneAndAHalfTimesTheIncomingRate() {
        Feed f = new Feed();
        f.run(1, 100_000, 0);                       // 160 kbit/s
        assertThat(f.run(1, 1_000_000, 0)).isEqualTo(172_800); // +8 %
        assertThat(f.run(1, 1_000_000, 0)).isEqualTo(186_624);
        assertThat(f.run(60, 1_000_000, 0)).isEqualTo(1_510_000); // bounded by what arrives
        assertThat(f.run(5, 200_000, 0)).isEqualTo(1_510_000);  // an idle sender keeps what it had
    }

    @Test
    void highLossCutsToTheIncomingRateLessHalfTheLossAndModerateLossHolds() {
        Feed f = new Feed();
        f.run(1, 1_000_000, 0);
        assertThat(f.run(1, 1_000_000, 20)).isEqualTo(900_000);
        assertThat(f.run(3, 900_000, 5)).isEqualTo(900_000);
        assertThat(f.run(1, 100_000, 100)).isEqualTo(50_000);
        assertThat(f.run(1, 0, 100)).isEqualTo(30_000); // never below the floor
    }

    @Test
    void countersThatGoBackwardsOrAClockThatStandsStillChangeNothing() {
        Feed f = new Feed();
        long first = f.run(1, 1_000_000, 0);
        assertThat(f.estimator.update(f.now, f.octets, f.expected, f.lost)).isEqualTo(first);
        assertThat(f.estimator.update(f.now + S, f.octets - 1000, f.expected - 50, f.lost - 10)).isEqualTo(first);
        assertThatThrownBy(() -> new ReceiveSideEstimator(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
