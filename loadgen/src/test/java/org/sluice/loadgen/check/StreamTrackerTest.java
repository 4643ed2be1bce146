package org.sluice.loadgen.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTrackerTest {

    @Test
    void aContinuousStreamAcrossTheSequenceWrapLosesNothing() {
        StreamTracker t = new StreamTracker(1);
        for (int i = 0; i < 100; i++) {
            t.onPacket((65500 + i) & 0xFFFF, 4, 1000 + i);
        }
        assertThat(t.received()).isEqualTo(100);
        assertThat(t.sequenceGaps()).isZero();
        assertThat(t.originMismatches()).isZero();
        assertThat(t.expected(1100)).isEqualTo(100);
    }

    @Test
    void aGapCountsAsLossAndAStepTheServerHidFromTheSequenceIsAMismatch() {
        StreamTracker t = new StreamTracker(1);
        t.onPacket(10, 0, 0);
        t.onPacket(12, 0, 2);   // one lost on the way: both lines skip one
        t.onPacket(13, 0, 5);   // the sequence continues but two origins are missing
        t.onPacket(13, 0, 5);   // a duplicate
        assertThat(t.sequenceGaps()).isEqualTo(1);
        assertThat(t.originMismatches()).isEqualTo(1);
        assertThat(t.late()).isEqualTo(1);
        assertThat(t.received()).isEqualTo(3);
        assertThat(t.expected(8)).as("origins 0..7 were sent").isEqualTo(8);
    }

    @Test
    void anotherPublishersBytesOnTheSsrcAreASwitch() {
        StreamTracker t = new StreamTracker(1);
        t.onPacket(1, 0, 0);
        t.onPacket(2, 2, 50);
        assertThat(t.streamSwitches()).isEqualTo(1);
        assertThat(t.streamId()).isEqualTo(2);
        assertThat(t.expected(0)).isZero();
    }

    @Test
    void aKeyFramesPacketsAreTheOnesWithItsTimestampUntilTheNextFrameStarts() {
        StreamTracker t = new StreamTracker(1);
        assertThat(t.inKeyFrame(100, false, false)).as("before any frame start").isFalse();
        assertThat(t.inKeyFrame(3000, true, true)).isTrue();
        assertThat(t.inKeyFrame(3000, false, false)).isTrue();
        assertThat(t.inKeyFrame(6000, false, false)).as("a later frame whose start was lost").isFalse();
        assertThat(t.inKeyFrame(6000, true, false)).isFalse();
        assertThat(t.inKeyFrame(3000, false, false)).as("after an inter frame started").isFalse();
    }
}
