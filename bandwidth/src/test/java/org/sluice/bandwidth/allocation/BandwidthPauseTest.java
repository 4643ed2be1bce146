package org.sluice.bandwidth.allocation;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the allocator pauses video for bandwidth, over successive rounds the way a receiver's leg runs it: each round's
 * input says what the last round decided (the layer forwarded, or nothing while paused).
 */
class BandwidthPauseTest {

    private static final long K = 1_000;
    private static final long[][] CAMERA = {{100 * K, 150 * K}, {300 * K, 450 * K}};
    private static final long[][] OPUS = {{50 * K}};

    private final BitrateAllocator allocator = new BitrateAllocator();
    private final AllocationInput[] inputs = {new AllocationInput(), new AllocationInput(), new AllocationInput()};
    private final AllocationTarget[] targets = {new AllocationTarget(), new AllocationTarget(), new AllocationTarget()};

    /** Audio, the speaker's camera and another camera; {@code previous} is the last round's decision. */
    private void round(long availableBps) {
        AllocationTarget[] previous = new AllocationTarget[targets.length];
        for (int i = 0; i < targets.length; i++) {
            AllocationTarget last = new AllocationTarget();
            last.set(targets[i].id(), targets[i].spatial(), targets[i].temporal(), targets[i].reason(),
                    targets[i].bitrateBps());
            previous[i] = last;
        }
        inputs[0].reset(1, TrackKind.AUDIO).layerBitrates(OPUS);
        inputs[1].reset(2, TrackKind.VIDEO).priority(VideoPriority.SPEAKER).layerBitrates(CAMERA);
        inputs[2].reset(3, TrackKind.VIDEO).priority(VideoPriority.OTHER).layerBitrates(CAMERA);
        for (int i = 1; i < 3; i++) {
            if (previous[i].id() != 0 && !previous[i].isPaused()) {
                inputs[i].current(previous[i].spatial(), previous[i].temporal());
            }
        }
        allocator.allocate(availableBps, inputs, targets, 3);
    }

    private String states() {
        StringBuilder out = new StringBuilder();
        for (AllocationTarget t : targets) {
            out.append(out.isEmpty() ? "" : " ").append(t.isPaused() ? t.reason().name() : t.spatial() + "," + t.temporal());
        }
        return out.toString();
    }

    @Test
    void videoIsPausedLeastImportantFirstAsTheEstimateFallsAndAudioIsNeverPaused() {
        round(2_000 * K);
        assertThat(states()).isEqualTo("0,0 1,1 1,1");
        round(260 * K); // 50 audio + 100 + 100 fit; 150 for a second temporal layer does not
        assertThat(states()).isEqualTo("0,0 0,0 0,0");
        round(200 * K); // 50 + 100 fit, the other camera's 100 does not
        assertThat(states()).isEqualTo("0,0 0,0 BANDWIDTH_LIMITED");
        round(120 * K); // not even the speaker's lowest layer after audio
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
        round(20 * K); // below audio alone: audio is still served
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
        assertThat(targets[0].bitrateBps()).isEqualTo(50 * K);
        assertThat(allocator.allocatedBps()).isEqualTo(50 * K);
        assertThat(allocator.probeNeeded()).isTrue();
        assertThat(allocator.probeTargetBps()).as("audio plus the speaker's lowest layer with 15% headroom")
                .isEqualTo(50 * K + 115 * K);
    }

    @Test
    void aPausedVideoResumesOnlyWithFifteenPercentHeadroom() {
        round(120 * K);
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
        round(150 * K); // 50 + 100 fits exactly, but a paused video needs 115 to come back
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
        round(164 * K);
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
        round(165 * K);
        assertThat(states()).isEqualTo("0,0 0,0 BANDWIDTH_LIMITED");
        round(150 * K); // once forwarded, its lowest layer is kept while it fits without headroom
        assertThat(states()).isEqualTo("0,0 0,0 BANDWIDTH_LIMITED");
        round(149 * K);
        assertThat(states()).isEqualTo("0,0 BANDWIDTH_LIMITED BANDWIDTH_LIMITED");
    }

    @Test
    void theSubscribersPauseIsNotABandwidthPause() {
        inputs[0].reset(1, TrackKind.AUDIO).layerBitrates(OPUS);
        inputs[1].reset(2, TrackKind.VIDEO).layerBitrates(CAMERA).paused(true);
        inputs[2].reset(3, TrackKind.VIDEO).layerBitrates(CAMERA);
        allocator.allocate(170 * K, inputs, targets, 3); // the paused one takes nothing: 50 + 115 fit
        assertThat(states()).isEqualTo("0,0 PREFERENCE_PAUSED 0,0");
    }

    /**
     * Random rooms and estimates: every audio the subscriber did not pause is allocated; video is paused only for
     * bandwidth and never while the estimate would carry its lowest layer in what audio and the more important videos
     * left; and what is allocated to video never exceeds what audio left.
     */
    @RepeatedTest(200)
    void audioFirstAlwaysAndVideoOnlyWithinWhatIsLeft() {
        SplittableRandom random = new SplittableRandom();
        int n = 1 + random.nextInt(8);
        AllocationInput[] in = new AllocationInput[n];
        AllocationTarget[] out = new AllocationTarget[n];
        long audio = 0;
        for (int i = 0; i < n; i++) {
            out[i] = new AllocationTarget();
            boolean isAudio = random.nextBoolean();
            if (isAudio) {
                long rate = 20 * K + random.nextInt(60) * K;
                audio += rate;
                in[i] = new AllocationInput().reset(i + 1, TrackKind.AUDIO).layerBitrates(new long[][] {{rate}});
            } else {
                long low = 50 * K + random.nextInt(300) * K;
                in[i] = new AllocationInput().reset(i + 1, TrackKind.VIDEO)
                        .priority(VideoPriority.values()[random.nextInt(3)])
                        .layerBitrates(new long[][] {{low, low * 3 / 2}, {low * 3, low * 4}});
                if (random.nextBoolean()) {
                    in[i].current(random.nextInt(2), random.nextInt(2));
                }
            }
        }
        long available = random.nextLong(3_000 * K);
        allocator.allocate(available, in, out, n);
        long video = 0;
        for (int i = 0; i < n; i++) {
            if (in[i].kind() == TrackKind.AUDIO) {
                assertThat(out[i].isPaused()).as("audio %s at %d bps", i, available).isFalse();
            } else if (out[i].isPaused()) {
                assertThat(out[i].reason()).isEqualTo(PauseReason.BANDWIDTH_LIMITED);
            } else {
                video += out[i].bitrateBps();
            }
        }
        assertThat(video).isLessThanOrEqualTo(Math.max(0, available - audio));
        assertThat(allocator.audioBps()).isEqualTo(audio);
    }
}
