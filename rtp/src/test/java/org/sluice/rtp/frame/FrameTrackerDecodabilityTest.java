package org.sluice.rtp.frame;

import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodability chains per codec family; frames are fed in order unless a test says otherwise. */
class FrameTrackerDecodabilityTest {

    private static final long MS = 1_000_000L;
    private static final int[] L1T3 = {0, 2, 1, 2};

    private final FrameTracker tracker = new FrameTracker(1024, 10_000 * MS);
    private int seq = 65_000;
    private long now;

    private static long ts(int picture) {
        return 1000L + 3000L * picture;
    }

    /** Feeds one layer frame of {@code packets} packets, skipping the packet indexes in {@code drop}. */
    private void frame(PacketTag first, int picture, int packets, Set<Integer> drop) {
        for (int k = 0; k < packets; k++) {
            PacketTag t = copy(first);
            t.frameBegin = k == 0;
            t.frameEnd = k == packets - 1;
            if (k > 0 && t.codec == Codec.VP8) {
                t.keyframe = false; // VP8 shows the key frame on the first packet only
            }
            if (!drop.contains(k)) {
                tracker.onPacket(seq & 0xFFFF, ts(picture), t, 500, now);
            }
            seq++;
        }
        now += 33 * MS;
    }

    private static PacketTag copy(PacketTag from) {
        PacketTag t = new PacketTag();
        t.clear();
        t.codec = from.codec;
        t.keyframe = from.keyframe;
        t.switchPoint = from.switchPoint;
        t.spatialId = from.spatialId;
        t.temporalId = from.temporalId;
        t.pictureId = from.pictureId;
        t.tl0PicIdx = from.tl0PicIdx;
        t.frameId = from.frameId;
        t.frameIdBits = from.frameIdBits;
        t.interPicturePredicted = from.interPicturePredicted;
        t.interLayerDependent = from.interLayerDependent;
        t.referencesKnown = from.referencesKnown;
        for (int k = 0; k < from.referenceCount; k++) {
            t.addReference(from.references[k]);
        }
        return t;
    }

    /** VP8 L1T3 picture {@code i}: TID by the 0,2,1,2 pattern, TL0PICIDX per group, 15-bit picture ids. */
    private static PacketTag vp8(int i, boolean key, boolean layerSync) {
        int tid = L1T3[i % 4];
        PacketTag t = Tags.picture(Tags.layers(Tags.tag(Codec.VP8, true, false), 0, tid),
                (32_700 + i) & 0x7FFF, 15, (250 + i / 4) & 0xFF);
        if (key) {
            Tags.key(t);
        }
        t.switchPoint |= layerSync;
        return t;
    }

    private void vp8Stream(int pictures, Set<Integer> keys, Set<Integer> lostPictures, int partialPicture) {
        for (int i = 0; i < pictures; i++) {
            Set<Integer> drop = lostPictures.contains(i) ? Set.of(0, 1, 2) : i == partialPicture ? Set.of(1) : Set.of();
            frame(vp8(i, keys.contains(i), false), i, 3, drop);
        }
    }

    private List<Integer> decodable(int pictures) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < pictures; i++) {
            if (tracker.frameDecodable(ts(i))) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void lostTl0FrameBreaksEverythingUntilTheNextKeyFrame() {
        vp8Stream(60, Set.of(0, 40), Set.of(8), -1);
        List<Integer> expected = range(0, 8);
        expected.addAll(range(40, 60));
        assertThat(decodable(60)).isEqualTo(expected);
        assertThat(tracker.lastDecodableKeyframeTimestamp()).isEqualTo(ts(40));
        assertThat(tracker.keyframes()).isEqualTo(2);
    }

    @Test
    void partlyLostTl0FrameBreaksTheChainToo() {
        vp8Stream(48, Set.of(0, 40), Set.of(), 12);
        List<Integer> expected = range(0, 12);
        expected.addAll(range(40, 48));
        assertThat(decodable(48)).isEqualTo(expected);
        assertThat(tracker.frameComplete(ts(12))).isFalse();
    }

    @Test
    void lostTl2FrameSparesTheLowerLayers() {
        // Picture 9 (TL2) wholly lost: TL1 picture 10 is decodable because the pattern learned from
        // earlier groups says offset 1 is TL2. Picture 11 (TL2) is conservatively not decodable: the
        // lost picture was of its own layer.
        vp8Stream(24, Set.of(0), Set.of(9), -1);
        List<Integer> expected = range(0, 24);
        expected.remove(Integer.valueOf(9));
        expected.remove(Integer.valueOf(11));
        assertThat(decodable(24)).isEqualTo(expected);
    }

    @Test
    void partlyLostTl2FrameSparesTheLowerLayers() {
        vp8Stream(24, Set.of(0), Set.of(), 13);
        List<Integer> expected = range(0, 24);
        expected.remove(Integer.valueOf(13));
        expected.remove(Integer.valueOf(15)); // same layer, same group
        assertThat(decodable(24)).isEqualTo(expected);
    }

    @Test
    void layerSyncFrameNeedsOnlyItsBase() {
        for (int i = 0; i < 16; i++) {
            Set<Integer> drop = i == 9 ? Set.of(0, 1, 2) : Set.of();
            frame(vp8(i, i == 0, i == 11), i, 3, drop);
        }
        assertThat(tracker.frameDecodable(ts(11))).isTrue();
        assertThat(tracker.frameDecodable(ts(15))).isTrue();
    }

    @Test
    void lateTl0FrameMakesItsDependantsDecodable() {
        List<long[]> decodedLater = new ArrayList<>();
        tracker.setListener(new FrameListener() {
            @Override
            public void onFrameComplete(long rtpTimestamp, int spatialId, int temporalId, boolean keyframe,
                                        boolean decodable, int packets, int bytes, long nowNanos) {
            }

            @Override
            public void onFrameDecodable(long rtpTimestamp, int spatialId, int temporalId, long nowNanos) {
                decodedLater.add(new long[] {rtpTimestamp, temporalId});
            }
        });
        for (int i = 0; i < 8; i++) {
            frame(vp8(i, i == 0, false), i, 2, Set.of());
        }
        int tl0Seq = seq;
        seq += 2; // picture 8's packets are held back
        now += 33 * MS;
        for (int i = 9; i < 13; i++) {
            frame(vp8(i, false, false), i, 2, Set.of());
        }
        assertThat(decodable(13)).isEqualTo(range(0, 8));
        int after = seq;
        seq = tl0Seq;
        frame(vp8(8, false, false), 8, 2, Set.of());
        seq = after;
        assertThat(decodable(13)).isEqualTo(range(0, 13));
        assertThat(decodedLater).extracting(a -> a[0]).containsExactly(ts(9), ts(10), ts(11), ts(12));
    }

    @Test
    void h264NeedsThePreviousFrame() {
        for (int i = 0; i < 10; i++) {
            PacketTag t = Tags.tag(Codec.H264, true, false);
            if (i == 0 || i == 7) {
                Tags.key(t);
            }
            frame(t, i, 2, i == 3 ? Set.of(1) : Set.of());
        }
        assertThat(decodable(10)).containsExactly(0, 1, 2, 7, 8, 9);
        assertThat(tracker.framesComplete()).isEqualTo(9);
    }

    @Test
    void paddingBetweenFramesDoesNotBreakTheChain() {
        for (int i = 0; i < 4; i++) {
            PacketTag t = Tags.tag(Codec.H264, true, false);
            if (i == 0) {
                Tags.key(t);
            }
            frame(t, i, 2, Set.of());
            tracker.onUntaggedPacket(seq++ & 0xFFFF, now);
        }
        assertThat(decodable(4)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void vp9FlexibleModeFollowsThePDiffs() {
        // L1T2 flexible: TL0 pictures reference the previous TL0 (P_DIFF 2), TL1 pictures the TL0 before (1).
        for (int i = 0; i < 12; i++) {
            PacketTag t = Tags.picture(Tags.layers(Tags.tag(Codec.VP9, true, false), 0, i % 2), 100 + i, 15, -1);
            if (i == 0) {
                Tags.key(Tags.refs(t));
            } else {
                Tags.refs(t, i % 2 == 0 ? 2 : 1);
            }
            frame(t, i, 2, i == 3 || i == 6 ? Set.of(0) : Set.of());
        }
        // 3 (TL1) lost: 4 is fine. 6 (TL0) lost: 7, 8 and everything after reference it.
        assertThat(decodable(12)).containsExactly(0, 1, 2, 4, 5);
    }

    @Test
    void vp9SpatialLayersDependOnTheLayerBelow() {
        // L2T1 non-flexible: S0 predicts from the previous S0, S1 from the previous S1 and from S0 (D=1).
        for (int i = 0; i < 8; i++) {
            for (int s = 0; s < 2; s++) {
                PacketTag t = Tags.picture(Tags.layers(Tags.tag(Codec.VP9, true, false), s, 0), 10 + i, 7, i & 0xFF);
                if (i == 0) {
                    t.interPicturePredicted = false;
                    if (s == 0) {
                        Tags.key(t);
                    }
                }
                t.interLayerDependent = s == 1;
                boolean lose = (i == 3 && s == 1) || (i == 6 && s == 0);
                frame(t, i, 2, lose ? Set.of(1) : Set.of());
            }
        }
        for (int i = 0; i < 8; i++) {
            assertThat(tracker.frameDecodable(ts(i), 0)).as("S0 of %d", i).isEqualTo(i < 6);
            assertThat(tracker.frameDecodable(ts(i), 1)).as("S1 of %d", i).isEqualTo(i < 3);
        }
        assertThat(tracker.frameDecodable(ts(4))).isFalse();
        assertThat(tracker.frameComplete(ts(4))).isTrue();
        assertThat(tracker.frameDecodable(ts(2))).isTrue();
    }

    @Test
    void vp9UpperLayerWithoutAnyPredictionDecodesAlone() {
        PacketTag t = Tags.picture(Tags.layers(Tags.tag(Codec.VP9, true, false), 1, 0), 5, 7, -1);
        t.interPicturePredicted = false;
        frame(t, 0, 2, Set.of());
        assertThat(tracker.frameDecodable(ts(0), 1)).isTrue();
        assertThat(tracker.keyframes()).isZero();
        PacketTag dependent = Tags.picture(Tags.layers(Tags.tag(Codec.VP9, true, false), 1, 0), 6, 7, -1);
        dependent.interPicturePredicted = false;
        dependent.interLayerDependent = true; // its S0 never arrived
        frame(dependent, 1, 2, Set.of());
        assertThat(tracker.frameComplete(ts(1), 1)).isTrue();
        assertThat(tracker.frameDecodable(ts(1), 1)).isFalse();
    }

    @Test
    void av1FrameDiffsSpanLayers() {
        // L2T1 with frame numbers per layer frame: S0 refs the previous S0 (2 back), S1 refs S0 (1) and the previous S1 (2).
        int frameNumber = 65_530;
        for (int i = 0; i < 8; i++) {
            for (int s = 0; s < 2; s++) {
                PacketTag t = Tags.layers(Tags.tag(Codec.AV1, true, false), s, 0);
                t.frameId = frameNumber++ & 0xFFFF;
                t.frameIdBits = 16;
                if (i == 0) {
                    if (s == 0) {
                        Tags.key(Tags.refs(t));
                    } else {
                        Tags.refs(t, 1);
                    }
                } else if (s == 0) {
                    Tags.refs(t, 2);
                } else {
                    Tags.refs(t, 1, 2);
                }
                frame(t, i, 2, i == 5 && s == 1 ? Set.of(0) : Set.of());
            }
        }
        for (int i = 0; i < 8; i++) {
            assertThat(tracker.frameDecodable(ts(i), 0)).as("S0 of %d", i).isTrue();
            assertThat(tracker.frameDecodable(ts(i), 1)).as("S1 of %d", i).isEqualTo(i < 5);
        }
    }
}
