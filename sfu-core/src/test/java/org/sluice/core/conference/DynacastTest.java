package org.sluice.core.conference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DynacastTest {

    private static final long S = 1_000_000_000L;

    private static boolean[] needs(boolean... layers) {
        return layers;
    }

    private static String state(Dynacast d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.layers(); i++) {
            b.append(d.isActive(i) ? '1' : '0');
        }
        return b.toString();
    }

    @Test
    void everyLayerStartsOnAndAnUnneededOneGoesOffOnlyAfterTheDelay() {
        Dynacast d = new Dynacast(3, 0);
        assertThat(state(d)).isEqualTo("111");
        assertThat(d.update(needs(true, false, false), S)).isZero();
        assertThat(d.update(needs(true, false, false), Dynacast.OFF_DELAY_NANOS - 1)).isZero();
        assertThat(state(d)).isEqualTo("111");
        assertThat(d.update(needs(true, false, false), Dynacast.OFF_DELAY_NANOS)).isEqualTo(2);
        assertThat(state(d)).isEqualTo("100");
        assertThat(d.toggles()).isEqualTo(2);
    }

    @Test
    void aNeededLayerComesBackAtOnce() {
        Dynacast d = new Dynacast(3, 0);
        d.update(needs(true, false, false), 10 * S);
        assertThat(state(d)).isEqualTo("100");
        assertThat(d.update(needs(true, false, true), 10 * S + 1)).isEqualTo(1);
        assertThat(state(d)).isEqualTo("101");
        assertThat(d.toggles()).isEqualTo(3);
    }

    @Test
    void aLayerNeededAgainWithinTheDelayStaysOnWithoutAToggle() {
        Dynacast d = new Dynacast(3, 0);
        d.update(needs(true, true, true), S);
        d.update(needs(true, true, false), 2 * S);      // not needed from here
        d.update(needs(true, true, true), 3 * S);       // needed again before the delay ran out
        d.update(needs(true, true, false), 5 * S);
        assertThat(state(d)).isEqualTo("111");
        assertThat(d.update(needs(true, true, false), 3 * S + Dynacast.OFF_DELAY_NANOS)).isEqualTo(1);
        assertThat(state(d)).isEqualTo("110");
    }

    @Test
    void nothingNeededSwitchesEveryLayerOff() {
        Dynacast d = new Dynacast(2, 0);
        assertThat(d.update(needs(false, false), Dynacast.OFF_DELAY_NANOS)).isEqualTo(2);
        assertThat(state(d)).isEqualTo("00");
        assertThat(d.update(needs(true, false), Dynacast.OFF_DELAY_NANOS + 1)).isEqualTo(1);
        assertThat(state(d)).isEqualTo("10");
    }

    @Test
    void aLayerBackSoonAfterItWentOffWaitsLongerBeforeGoingOffAgain() {
        long off = Dynacast.OFF_DELAY_NANOS;
        Dynacast d = new Dynacast(3, 0);
        d.update(needs(true, true, true), 0);
        assertThat(d.update(needs(true, false, true), off)).as("h off after the delay").isEqualTo(1);
        assertThat(d.update(needs(true, true, true), off + S)).as("needed again a second later").isEqualTo(1);
        assertThat(d.update(needs(true, false, true), off + 2 * S)).isZero();
        assertThat(d.update(needs(true, false, true), off + S + off)).as("flapping: the plain delay is not enough")
                .isZero();
        assertThat(state(d)).isEqualTo("111");
        assertThat(d.update(needs(true, false, true), off + S + Dynacast.FLAP_FACTOR * off)).isEqualTo(1);
        assertThat(state(d)).isEqualTo("101");

        long calm = off + S + Dynacast.FLAP_FACTOR * off + Dynacast.FLAP_WINDOW_NANOS;
        d.update(needs(true, true, true), calm);
        assertThat(d.update(needs(true, false, true), calm + off)).as("back long after it went off: plain delay")
                .isEqualTo(1);
    }
}
