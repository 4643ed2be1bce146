package org.sluice.rtp.layer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link IdLine}: closing up dropped ids, keeping upstream holes, late ids, rebase. */
class IdLineTest {

    @Test
    void droppedIdsAreClosedUpAndLostOnesStayHoles() {
        IdLine line = new IdLine(15);
        assertThat(line.lastOut()).isEqualTo(-1);
        assertThat(line.forward(10, 15)).isEqualTo(10);
        line.drop(11, 15);
        line.drop(11, 15); // idempotent
        assertThat(line.forward(12, 15)).isEqualTo(11);
        assertThat(line.forward(12, 15)).isEqualTo(11);
        // 13 never arrives (lost upstream): a hole.
        assertThat(line.forward(14, 15)).isEqualTo(13);
        // 13 arrives late after all: it gets the id it would have had.
        assertThat(line.forward(13, 15)).isEqualTo(12);
        // A late packet of the dropped id is refused; a late packet of 12 keeps its id.
        assertThat(line.forward(11, 15)).isEqualTo(-1);
        assertThat(line.forward(12, 15)).isEqualTo(11);
        assertThat(line.lookup(10, 15)).isEqualTo(10);
        assertThat(line.lookup(11, 15)).isEqualTo(-1);
        assertThat(line.lookup(15, 15)).isEqualTo(-1);
        // Older than everything remembered.
        assertThat(line.forward(9, 15)).isEqualTo(-1);
        assertThat(line.lastOut()).isEqualTo(13);
    }

    @Test
    void aLateFirstSeenDroppedIdLeavesAHoleAndTheHistoryIsBounded() {
        IdLine line = new IdLine(15);
        line.forward(100, 15);
        line.forward(102, 15);
        line.drop(101, 15);           // late and dropped: nothing after it can move any more
        assertThat(line.forward(103, 15)).isEqualTo(103);
        for (int i = 104; i < 104 + IdLine.HISTORY; i++) {
            line.forward(i, 15);
        }
        assertThat(line.forward(103, 15)).isEqualTo(-1);
    }

    @Test
    void rebaseContinuesAtLastPlusOneAndWidthsWrap() {
        IdLine line = new IdLine(15);
        assertThat(line.forward(126, 7)).isEqualTo(126);
        assertThat(line.forward(127, 7)).isEqualTo(127);
        assertThat(line.forward(0, 7)).isEqualTo(128);    // a 7-bit wrap continues in 15 bits
        line.rebase();
        line.drop(5000, 15);                               // before the first forwarded id: ignored
        assertThat(line.forward(5000, 15)).isEqualTo(129);
        assertThat(line.forward(5001, 15)).isEqualTo(130);
        line.rebase();
        assertThat(line.forward(32767, 15)).isEqualTo(131);
        IdLine tl0 = new IdLine(8);
        assertThat(tl0.forward(255, 8)).isEqualTo(255);
        assertThat(tl0.forward(0, 8)).isZero();
        tl0.drop(1, 8);
        assertThat(tl0.forward(2, 8)).isEqualTo(1);
        assertThat(tl0.forward(3, 15)).isEqualTo(2);       // another width: continues like a rebase
    }
}
