package org.sluice.rtp.frame;

import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded property test: thousands of frames of 1 to 8 packets, delivered with random loss,
 * reordering and duplication across the sequence number and timestamp wraps. A frame must be
 * reported complete exactly once, exactly when all its packets have been delivered, and its final
 * decodability must match the H.264-style model (complete, and a key frame or the previous frame
 * decodable).
 */
class FrameTrackerCompletenessTest {

    private static final int FRAMES = 4000;
    private static final long MS = 1_000_000L;

    record Packet(int frame, int index, int seq, long ts, boolean begin, boolean end, boolean key) {
    }

    @Test
    void completeExactlyWhenAllPacketsArrived() {
        for (long seed = 1; seed <= 6; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double loss = 0.01 + random.nextDouble() * 0.05;
        List<Packet> packets = new ArrayList<>();
        int[] frameSize = new int[FRAMES];
        boolean[] keyFrame = new boolean[FRAMES];
        int seq = 65_536 - 3000 + random.nextInt(1000);
        long ts = 0x1_0000_0000L - 3000L * 1000;
        for (int f = 0; f < FRAMES; f++) {
            int n = 1 + random.nextInt(8);
            frameSize[f] = n;
            keyFrame[f] = f % 60 == 0;
            for (int k = 0; k < n; k++) {
                packets.add(new Packet(f, k, seq & 0xFFFF, (ts + 3000L * f) & 0xFFFFFFFFL,
                        k == 0, k == n - 1, keyFrame[f] && k == 0));
                seq++;
            }
        }
        List<Packet> delivery = new ArrayList<>();
        for (Packet p : packets) {
            if (random.nextDouble() < loss) {
                continue;
            }
            delivery.add(p);
            if (random.nextDouble() < 0.03) {
                int at = Math.min(delivery.size() + random.nextInt(20), delivery.size());
                delivery.add(at, p);
            }
        }
        for (int i = 0; i < delivery.size(); i++) {
            if (random.nextDouble() < 0.1) {
                int j = Math.min(delivery.size() - 1, i + 1 + random.nextInt(15));
                Collections.swap(delivery, i, j);
            }
        }

        FrameTracker tracker = new FrameTracker(1024, 3600_000 * MS);
        boolean[][] got = new boolean[FRAMES][];
        int[] gotCount = new int[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            got[f] = new boolean[frameSize[f]];
        }
        boolean[] reported = new boolean[FRAMES];
        long firstTs = packets.get(0).ts();
        int[] completions = {0};
        tracker.setListener((rtpTimestamp, spatialId, temporalId, keyframe, decodable, count, bytes, nowNanos) -> {
            int f = (int) (((rtpTimestamp - firstTs) & 0xFFFFFFFFL) / 3000);
            assertThat(reported[f]).as("seed %d frame %d reported twice", seed, f).isFalse();
            assertThat(gotCount[f]).as("seed %d frame %d complete too early", seed, f).isEqualTo(frameSize[f]);
            assertThat(count).isEqualTo(frameSize[f]);
            assertThat(bytes).isEqualTo(100 * frameSize[f]);
            assertThat(keyframe).isEqualTo(keyFrame[f]);
            reported[f] = true;
            completions[0]++;
        });
        long now = 0;
        for (Packet p : delivery) {
            if (!got[p.frame()][p.index()]) {
                got[p.frame()][p.index()] = true;
                gotCount[p.frame()]++;
            }
            PacketTag tag = Tags.tag(Codec.H264, p.begin(), p.end());
            if (p.key()) {
                Tags.key(tag);
            }
            tracker.onPacket(p.seq(), p.ts(), tag, 100, now);
            now += MS;
        }
        boolean[] decodable = new boolean[FRAMES];
        int complete = 0;
        for (int f = 0; f < FRAMES; f++) {
            boolean all = gotCount[f] == frameSize[f];
            assertThat(reported[f]).as("seed %d frame %d", seed, f).isEqualTo(all);
            complete += all ? 1 : 0;
            decodable[f] = all && (keyFrame[f] || (f > 0 && decodable[f - 1]));
        }
        assertThat(tracker.framesComplete()).isEqualTo(complete).isEqualTo(completions[0]);
        assertThat(tracker.duplicates()).isPositive();
        // The last frames are still tracked: their decodability matches the model.
        for (int f = FRAMES - 100; f < FRAMES; f++) {
            long frameTs = (firstTs + 3000L * f) & 0xFFFFFFFFL;
            assertThat(tracker.frameComplete(frameTs)).as("seed %d frame %d", seed, f).isEqualTo(reported[f]);
            assertThat(tracker.frameDecodable(frameTs)).as("seed %d frame %d decodable", seed, f)
                    .isEqualTo(decodable[f]);
        }
        // Earlier incomplete frames were evicted as such.
        assertThat(tracker.framesIncomplete()).isPositive().isLessThanOrEqualTo(FRAMES - complete);
    }
}
