package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossBasedControlTest {
    private static final long MS = 1_000_000L;

    private static LossBasedControl control() {
        return new LossBasedControl(30_000, 10_000_000, 1_000_000);
    }

    @Test
    void lossAbove10PercentDecreasesByHalfTheLoss() {
        LossBasedControl c = control();
        c.onFractionLost(50, 0);
        assertThat(c.targetBps()).isCloseTo(1_000_000 * (1 - 0.5 * 50 / 256.0), within(1e-6));
    }

    @Test
    void decreasesAtMostOncePer300msPlusRtt() {
        LossBasedControl c = control();
        c.setRtt(200 * MS);
        c.onFractionLost(50, 0);
        double once = c.targetBps();
        c.onFractionLost(50, 400 * MS);
        assertThat(c.targetBps()).isEqualTo(once);
        c.onFractionLost(50, 500 * MS);
        assertThat(c.targetBps()).isLessThan(once);
    }

    @Test
    void lossBetween2And10PercentHolds() {
        LossBasedControl c = control();
        c.onFractionLost(13, 0);
        c.onFractionLost(25, 2000 * MS);
        assertThat(c.targetBps()).isEqualTo(1_000_000);
    }

    @Test
    void lossBelow2PercentIncreases8PercentOverTheLowestOfTheLastSecond() {
        LossBasedControl c = control();
        c.onFractionLost(2, 0);
        assertThat(c.targetBps()).isCloseTo(1_081_000.5, within(1e-6));
        c.onFractionLost(2, 500 * MS);
        assertThat(c.targetBps()).isCloseTo(1_081_000.5, within(1e-6));
        c.onFractionLost(2, 1100 * MS);
        assertThat(c.targetBps()).isCloseTo(1_081_000.5 * 1.08 + 1000.5, within(1e-6));
    }

    @Test
    void thresholdsAreExactly2And10Percent() {
        assertThat(LossBasedControl.LOW_LOSS).isEqualTo(0.02);
        assertThat(LossBasedControl.HIGH_LOSS).isEqualTo(0.10);
        LossBasedControl c = control();
        c.onFractionLost(5, 0); // 1.95%: increase
        assertThat(c.targetBps()).isGreaterThan(1_000_000);
        LossBasedControl d = control();
        d.onFractionLost(26, 0); // 10.2%: decrease
        assertThat(d.targetBps()).isLessThan(1_000_000);
        LossBasedControl e = control();
        e.onFractionLost(25, 0); // 9.8%: hold
        assertThat(e.targetBps()).isEqualTo(1_000_000);
    }

    @Test
    void cappedByTheDelayBasedRateAndTheRemb() {
        LossBasedControl c = control();
        c.onFractionLost(2, 0);
        c.setDelayBasedLimit(900_000, 10 * MS);
        assertThat(c.targetBps()).isEqualTo(900_000);
        c.setReceiverLimit(500_000, 20 * MS);
        assertThat(c.targetBps()).isEqualTo(500_000);
    }

    @Test
    void transportFeedbackLossIsEvaluatedOver20Packets() {
        LossBasedControl c = control();
        c.onFractionLost(13, 0);
        c.onPacketsLost(1, 10, 10 * MS);
        assertThat(c.lastFractionLoss()).isEqualTo(13);
        c.onPacketsLost(5, 10, 20 * MS);
        assertThat(c.lastFractionLoss()).isEqualTo(6 * 256 / 20);
        assertThat(c.targetBps()).isLessThan(1_000_000);
    }

    @Test
    void withoutLossInformationTheTargetIsTheUpperLimit() {
        LossBasedControl c = control();
        c.setReceiverLimit(700_000, 0);
        assertThat(c.targetBps()).isEqualTo(700_000);
        c.setReceiverLimit(2_000_000, 5000 * MS);
        assertThat(c.targetBps()).isEqualTo(2_000_000);
    }

    @Test
    void invalidLossReportsAreIgnored() {
        LossBasedControl c = control();
        c.onFractionLost(-1, 0);
        c.onFractionLost(256, 0);
        c.onPacketsLost(5, 3, 0);
        c.onPacketsLost(-1, 30, 0);
        assertThat(c.lastFractionLoss()).isZero();
        assertThat(c.targetBps()).isEqualTo(1_000_000);
    }
}
