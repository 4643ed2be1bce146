package org.sluice.rtp.frame;

import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sequence window: too-late answers, wrap, duplicates, old packets, jumps and restarts. */
class FrameTrackerWindowTest {

    private static final long MS = 1_000_000L;

    private final FrameTracker tracker = new FrameTracker(64, 1000 * MS);

    private void packet(int seq, long ts, boolean begin, boolean end, boolean key, long now) {
        PacketTag t = Tags.tag(Codec.H264, begin, end);
        if (key) {
            Tags.key(t);
        }
        tracker.onPacket(seq & 0xFFFF, ts, t, 100, now);
    }

    @Test
    void tooLateAnswers() {
        assertThat(tracker.isTooLate(5, 0)).isFalse(); // nothing seen yet
        packet(100, 0, true, false, true, 0);
        packet(101, 0, false, false, true, 0);
        packet(102, 0, false, true, true, 0);
        packet(104, 3000, false, true, false, 10 * MS); // 103 missing: the begin of frame 3000
        assertThat(tracker.isTooLate(103, 20 * MS)).isFalse();
        assertThat(tracker.tooLate(103, 20 * MS)).isFalse();
        assertThat(tracker.isTooLate(102, 20 * MS)).isTrue(); // already here
        assertThat(tracker.isTooLate(105, 20 * MS)).isFalse(); // not even due
        assertThat(tracker.isTooLate(104 - 64, 20 * MS)).isTrue(); // older than the window
        assertThat(tracker.isTooLate(103, 10 * MS + 1001 * MS)).isTrue(); // older than the max age

        // A newer key frame completes: everything before it is pointless to ask for.
        packet(110, 9000, true, false, true, 30 * MS);
        assertThat(tracker.isTooLate(103, 30 * MS)).isFalse(); // not complete yet
        packet(111, 9000, false, true, true, 31 * MS);
        assertThat(tracker.lastDecodableKeyframeTimestamp()).isEqualTo(9000);
        assertThat(tracker.isTooLate(103, 32 * MS)).isTrue();
        assertThat(tracker.isTooLate(109, 32 * MS)).isTrue();
        packet(113, 12000, true, true, false, 40 * MS);
        assertThat(tracker.isTooLate(112, 41 * MS)).isFalse();
    }

    @Test
    void aMissingPacketIsAsOldAsItsFrame() {
        packet(200, 0, true, false, true, 0);
        packet(202, 0, false, true, false, 900 * MS); // 201 noticed missing at 0.9 s, its frame began at 0
        assertThat(tracker.isTooLate(201, 950 * MS)).isFalse();
        assertThat(tracker.isTooLate(201, 1050 * MS)).isTrue();
    }

    @Test
    void framesSpanTheSequenceWrap() {
        long ts = 0xFFFF_FF00L;
        packet(65_534, ts, true, false, true, 0);
        packet(1, ts, false, true, false, 0);
        packet(0, ts, false, false, false, 0);
        assertThat(tracker.frameComplete(ts)).isFalse();
        packet(65_535, ts, false, false, false, 0);
        assertThat(tracker.frameComplete(ts)).isTrue();
        assertThat(tracker.frameDecodable(ts)).isTrue();
        packet(2, ts + 3000 - 0x1_0000_0000L, true, true, false, 33 * MS); // the timestamp wraps too
        assertThat(tracker.frameDecodable((ts + 3000) & 0xFFFFFFFFL)).isTrue();
        assertThat(tracker.isTooLate(65_535, 40 * MS)).isTrue();
        assertThat(tracker.resets()).isZero();
    }

    @Test
    void duplicatesAndOldPacketsAreCountedAndIgnored() {
        packet(10, 0, true, false, true, 0);
        packet(10, 0, true, false, true, 0);
        packet(11, 0, false, true, false, 0);
        assertThat(tracker.duplicates()).isEqualTo(1);
        assertThat(tracker.framesComplete()).isEqualTo(1);
        for (int s = 12; s < 200; s++) {
            packet(s, 3000L * s, true, true, false, s * MS);
        }
        packet(11, 0, false, true, false, 200 * MS);
        packet(100, 3000L * 100, true, true, false, 200 * MS);
        assertThat(tracker.packetsTooOld()).isEqualTo(2);
        assertThat(tracker.duplicates()).isEqualTo(1);
        assertThat(tracker.framesComplete()).isEqualTo(189);
    }

    @Test
    void aLargeJumpResetsAndEvictsIncompleteFrames() {
        packet(10, 0, true, false, true, 0);
        packet(12, 0, false, true, false, 0);
        packet(5000, 3000, true, true, true, MS);
        assertThat(tracker.resets()).isEqualTo(1);
        assertThat(tracker.framesIncomplete()).isEqualTo(1);
        assertThat(tracker.frameDecodable(3000)).isTrue();
        assertThat(tracker.isTooLate(11, 2 * MS)).isTrue();
    }

    @Test
    void aSenderRestartFarBehindIsFollowedAfterTwoPackets() {
        for (int s = 30_000; s < 30_010; s++) {
            packet(s, 3000L * s, true, true, s == 30_000, 0);
        }
        packet(7, 1, true, true, true, MS);
        assertThat(tracker.packetsTooOld()).isEqualTo(1);
        packet(8, 2, true, true, true, MS);
        assertThat(tracker.resets()).isEqualTo(1);
        packet(9, 3, true, true, false, MS);
        assertThat(tracker.frameDecodable(2)).isTrue();
        assertThat(tracker.frameDecodable(3)).isTrue();
    }

    @Test
    void clearStartsAfresh() {
        packet(30_000, 0, true, false, true, 0);
        tracker.clear();
        assertThat(tracker.framesIncomplete()).isEqualTo(1);
        assertThat(tracker.isTracked(0, 0)).isFalse();
        packet(5, 3000, true, true, true, MS); // far behind, yet accepted as the new start
        assertThat(tracker.packetsTooOld()).isZero();
        assertThat(tracker.frameDecodable(3000)).isTrue();
    }

    @Test
    void agedFramesAreEvicted() {
        packet(1, 0, true, false, true, 0); // never completes
        packet(3, 3000, true, true, true, 500 * MS);
        assertThat(tracker.isTracked(0, 0)).isTrue();
        packet(4, 6000, true, true, false, 1200 * MS);
        assertThat(tracker.isTracked(0, 0)).isFalse();
        assertThat(tracker.framesIncomplete()).isEqualTo(1);
        assertThat(tracker.frameDecodable(6000)).isTrue();
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThatThrownBy(() -> new FrameTracker(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameTracker(64, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new FrameTracker(1000, 1).windowSize()).isEqualTo(1024);
    }

    @Test
    void hostileTagsAndSequencesNeverThrow() {
        SplittableRandom random = new SplittableRandom(99);
        FrameTracker t = new FrameTracker(128, 500 * MS);
        t.setListener((ts, s, tid, key, dec, packets, bytes, now) -> {
        });
        Codec[] codecs = Codec.values();
        int seq = 0;
        long now = 0;
        for (int i = 0; i < 200_000; i++) {
            PacketTag tag = new PacketTag();
            tag.clear();
            tag.codec = random.nextInt(10) == 0 ? null : codecs[random.nextInt(codecs.length)];
            tag.frameBegin = random.nextInt(3) == 0;
            tag.frameEnd = random.nextInt(3) == 0;
            tag.keyframe = random.nextInt(20) == 0;
            tag.switchPoint = random.nextBoolean();
            tag.spatialId = random.nextInt(-2, 10);
            tag.temporalId = random.nextInt(-2, 10);
            tag.interPicturePredicted = random.nextBoolean();
            tag.interLayerDependent = random.nextBoolean();
            if (random.nextBoolean()) {
                tag.frameIdBits = random.nextInt(0, 33);
                tag.frameId = random.nextLong(-2, 70_000);
                tag.pictureId = (int) tag.frameId;
                tag.tl0PicIdx = random.nextInt(-1, 300);
            }
            if (random.nextBoolean()) {
                tag.referencesKnown = true;
                int n = random.nextInt(0, 20);
                for (int k = 0; k < n; k++) {
                    tag.addReference(random.nextInt(-3, 200));
                }
            }
            int kind = random.nextInt(20);
            seq = kind == 0 ? random.nextInt(65_536) : kind < 4 ? seq - random.nextInt(200) : seq + random.nextInt(4);
            now += random.nextInt(20) == 0 ? -random.nextLong(MS) : random.nextLong(5 * MS);
            long ts = random.nextInt(4) == 0 ? random.nextLong(1L << 33) - (1L << 32) : (i / 5) * 3000L;
            if (random.nextInt(50) == 0) {
                t.onUntaggedPacket(seq, now);
            } else {
                t.onPacket(seq, ts, random.nextInt(100) == 0 ? null : tag, random.nextInt(-5, 1500), now);
            }
            t.isTooLate(random.nextInt(-5, 70_000), now);
            t.frameComplete(ts);
            t.frameDecodable(ts, random.nextInt(-1, 9));
        }
        assertThat(t.framesDecodable()).isLessThanOrEqualTo(t.framesComplete());
    }
}
