package org.sluice.bandwidth.allocation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BitrateAllocatorTest {

    private static final long K = 1_000;

    /** Three simulcast streams with two temporal layers each: 100/150, 300/450, 900/1300 kbit/s. */
    private static final long[][] CAMERA = {{100 * K, 150 * K}, {300 * K, 450 * K}, {900 * K, 1_300 * K}};
    /** A screen share: 250 kbit/s at low resolution, 800 kbit/s at full. */
    private static final long[][] SCREEN = {{250 * K}, {800 * K}};
    private static final long[][] OPUS = {{40 * K}};

    /** One subscription of a case: its input, and the expected target as "s,t" or the pause reason. */
    record Sub(AllocationInput input, String expected) {
    }

    /** A row of the table. */
    record Case(String name, long availableBps, List<Sub> subs, Boolean probe) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Sub audio(long id, String expected) {
        return new Sub(new AllocationInput().reset(id, TrackKind.AUDIO).layerBitrates(OPUS).current(0, 0), expected);
    }

    private static Sub video(long id, VideoPriority priority, long[][] layers, String expected) {
        return new Sub(new AllocationInput().reset(id, TrackKind.VIDEO).priority(priority).layerBitrates(layers),
                expected);
    }

    private static Sub with(Sub sub, java.util.function.UnaryOperator<AllocationInput> change) {
        return new Sub(change.apply(sub.input()), sub.expected());
    }

    static Stream<Case> table() {
        return Stream.of(
                new Case("speaker gets a higher layer than two others under 600 kbit/s", 600 * K, List.of(
                        video(1, VideoPriority.OTHER, CAMERA, "0,1"),
                        video(2, VideoPriority.SPEAKER, CAMERA, "1,0"),
                        video(3, VideoPriority.OTHER, CAMERA, "0,0")), true),
                new Case("with audio too, audio is allocated first", 600 * K, List.of(
                        audio(10, "0,0"), audio(11, "0,0"),
                        video(1, VideoPriority.OTHER, CAMERA, "0,1"),
                        video(2, VideoPriority.SPEAKER, CAMERA, "0,1"),
                        video(3, VideoPriority.OTHER, CAMERA, "0,1")), true),
                new Case("audio is kept when nothing else fits", 60 * K, List.of(
                        audio(10, "0,0"),
                        video(1, VideoPriority.SPEAKER, CAMERA, "BANDWIDTH_LIMITED")), true),
                new Case("audio is kept even above the estimate", 50 * K, List.of(
                        audio(10, "0,0"), audio(11, "0,0"),
                        video(1, VideoPriority.OTHER, CAMERA, "BANDWIDTH_LIMITED")), true),
                new Case("the screen share before the speaker", 700 * K, List.of(
                        video(1, VideoPriority.SPEAKER, CAMERA, "1,0"),
                        video(2, VideoPriority.SCREEN, SCREEN, "0,0"),
                        video(3, VideoPriority.OTHER, CAMERA, "0,0")), true),
                new Case("the screen share gets its full layer first", 1_300 * K, List.of(
                        video(1, VideoPriority.SPEAKER, CAMERA, "1,0"),
                        video(2, VideoPriority.SCREEN, SCREEN, "1,0"),
                        video(3, VideoPriority.OTHER, CAMERA, "0,1")), true),
                new Case("least important paused first, a cheaper one still fits", 360 * K, List.of(
                        video(1, VideoPriority.SCREEN, SCREEN, "0,0"),
                        video(2, VideoPriority.SPEAKER, CAMERA, "BANDWIDTH_LIMITED"),
                        video(3, VideoPriority.OTHER, new long[][] {{60 * K}}, "0,0")), true),
                new Case("client priority orders equals", 300 * K, List.of(
                        video(1, VideoPriority.OTHER, CAMERA, "0,0"),
                        with(video(2, VideoPriority.OTHER, CAMERA, "0,1"), in -> in.clientPriority(5)),
                        video(3, VideoPriority.OTHER, CAMERA, "BANDWIDTH_LIMITED")), true),
                new Case("equals share round by round", 1_000 * K, List.of(
                        video(1, VideoPriority.OTHER, CAMERA, "1,0"),
                        video(2, VideoPriority.OTHER, CAMERA, "1,0"),
                        video(3, VideoPriority.OTHER, CAMERA, "1,0")), true),
                new Case("limits are respected with plenty of bandwidth", 10_000 * K, List.of(
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "1,1"), in -> in.limits(1, 5)),
                        with(video(2, VideoPriority.OTHER, CAMERA, "2,0"), in -> in.limits(5, 0)),
                        with(video(3, VideoPriority.OTHER, CAMERA, "0,0"), in -> in.limits(0, 0))), false),
                new Case("nothing within the limits arrives: the lowest arriving layer", 10_000 * K, List.of(
                        with(video(1, VideoPriority.OTHER, new long[][] {{0, 0}, {0, 0}, {900 * K, 1_300 * K}},
                                "2,0"), in -> in.limits(0, 1))), false),
                new Case("paused by the subscriber", 10_000 * K, List.of(
                        with(audio(10, "PREFERENCE_PAUSED"), in -> in.paused(true)),
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "PREFERENCE_PAUSED"), in -> in.paused(true)),
                        video(2, VideoPriority.OTHER, CAMERA, "2,1")), false),
                new Case("no layers arriving", 10_000 * K, List.of(
                        video(1, VideoPriority.SPEAKER, new long[][] {{0, 0}}, "NO_LAYERS"),
                        video(2, VideoPriority.OTHER, null, "NO_LAYERS"),
                        video(3, VideoPriority.OTHER, CAMERA, "2,1")), false),
                new Case("missing layers are skipped", 10_000 * K, List.of(
                        video(1, VideoPriority.OTHER, new long[][] {{100 * K, 150 * K}, {300 * K, 450 * K}, {0, 0}},
                                "1,1")), false),
                new Case("kept layer needs no headroom", 300 * K, List.of(
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "1,0"), in -> in.current(1, 0))), true),
                new Case("the same layer from below needs headroom", 300 * K, List.of(
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "0,1"), in -> in.current(0, 1))), true),
                new Case("resuming a paused video needs headroom", 110 * K, List.of(
                        video(1, VideoPriority.SPEAKER, CAMERA, "BANDWIDTH_LIMITED")), true),
                new Case("a forwarded video's lowest layer is kept without headroom", 110 * K, List.of(
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "0,0"), in -> in.current(0, 0))), true),
                new Case("a downgrade is immediate", 299 * K, List.of(
                        with(video(1, VideoPriority.SPEAKER, CAMERA, "0,1"), in -> in.current(2, 1))), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void allocates(Case c) {
        AllocationInput[] inputs = c.subs().stream().map(Sub::input).toArray(AllocationInput[]::new);
        AllocationTarget[] targets = new AllocationTarget[inputs.length];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = new AllocationTarget();
        }
        BitrateAllocator allocator = new BitrateAllocator();
        allocator.allocate(c.availableBps(), inputs, targets, inputs.length);

        List<String> actual = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < inputs.length; i++) {
            AllocationTarget t = targets[i];
            assertThat(t.id()).isEqualTo(inputs[i].id());
            actual.add(t.isPaused() ? t.reason().name() : t.spatial() + "," + t.temporal());
            expected.add(c.subs().get(i).expected());
            sum += t.bitrateBps();
            if (t.isPaused()) {
                assertThat(t.bitrateBps()).isZero();
                assertThat(t.spatial()).isEqualTo(-1);
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(allocator.allocatedBps()).isEqualTo(sum);
        if (allocator.allocatedBps() > c.availableBps()) {
            assertThat(allocator.allocatedBps()).as("only audio may exceed the estimate").isEqualTo(allocator.audioBps());
        }
        if (c.probe() != null) {
            assertThat(allocator.probeNeeded()).isEqualTo(c.probe());
        }
        if (allocator.probeNeeded()) {
            assertThat(allocator.probeTargetBps()).isGreaterThan(c.availableBps());
        } else {
            assertThat(allocator.probeTargetBps()).isZero();
        }
    }

    @Test
    void estimatesWaveringAroundALayerBoundaryDoNotMakeItFlap() {
        BitrateAllocator allocator = new BitrateAllocator();
        AllocationInput audio = new AllocationInput().reset(1, TrackKind.AUDIO).layerBitrates(OPUS).current(0, 0);
        AllocationInput camera = new AllocationInput().reset(2, TrackKind.VIDEO).priority(VideoPriority.SPEAKER)
                .layerBitrates(CAMERA).current(1, 0);
        AllocationInput[] inputs = {audio, camera};
        AllocationTarget[] targets = {new AllocationTarget(), new AllocationTarget()};
        // Boundaries: audio + each of the camera's layers, and the same with the upgrade headroom.
        long[] boundaries = {40 * K + 300 * K, 40 * K + 450 * K, 40 * K + 900 * K, 40 * K + 345 * K, 40 * K + 518 * K};
        for (long boundary : boundaries) {
            for (int start = 0; start < 2; start++) {
                int switches = 0;
                for (int round = 0; round < 40; round++) {
                    long estimate = (round + start) % 2 == 0 ? boundary * 95 / 100 : boundary * 105 / 100;
                    allocator.allocate(estimate, inputs, targets, 2);
                    assertThat(targets[0].isPaused()).isFalse();
                    if (targets[1].changesFrom(camera)) {
                        switches++;
                        camera.current(targets[1].spatial(), targets[1].temporal()); // applied
                    }
                }
                assertThat(switches).as("switches around %d bps", boundary).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aFallingEstimateStepsDownAtOnceAndARisingOneStepsUpWithHeadroom() {
        BitrateAllocator allocator = new BitrateAllocator();
        AllocationInput camera = new AllocationInput().reset(2, TrackKind.VIDEO).layerBitrates(CAMERA);
        AllocationInput[] inputs = {camera};
        AllocationTarget[] targets = {new AllocationTarget()};
        List<String> layers = new ArrayList<>();
        long[] estimates = {2_000 * K, 1_000 * K, 400 * K, 200 * K, 120 * K, 90 * K, 110 * K, 116 * K, 160 * K,
                180 * K, 400 * K, 520 * K, 1_500 * K};
        for (long estimate : estimates) {
            allocator.allocate(estimate, inputs, targets, 1);
            AllocationTarget t = targets[0];
            layers.add(t.isPaused() ? "-" : t.spatial() + "," + t.temporal());
            camera.current(t.spatial(), t.temporal());
        }
        assertThat(layers).containsExactly("2,1", "2,0", "1,0", "0,1", "0,0", "-", "-", "0,0", "0,0", "0,1", "1,0",
                "1,1", "2,1");
    }

    @Test
    void aProbeIsAskedForWhenTheNextLayerIsJustAboveTheEstimate() {
        BitrateAllocator allocator = new BitrateAllocator();
        AllocationInput audio = new AllocationInput().reset(1, TrackKind.AUDIO).layerBitrates(OPUS).current(0, 0);
        AllocationInput camera = new AllocationInput().reset(2, TrackKind.VIDEO).priority(VideoPriority.SPEAKER)
                .layerBitrates(CAMERA).limits(1, 0).current(0, 0);
        AllocationInput[] inputs = {audio, camera};
        AllocationTarget[] targets = {new AllocationTarget(), new AllocationTarget()};

        // (1,0) needs 300 kbit/s × 1.15 = 345 in place of (0,0)'s 100: 40 + 345 = 385 in all.
        allocator.allocate(370 * K, inputs, targets, 2);
        assertThat(targets[1].spatial()).isZero();
        assertThat(allocator.probeNeeded()).isTrue();
        assertThat(allocator.probeTargetBps()).isEqualTo(385 * K);

        allocator.allocate(385 * K, inputs, targets, 2);
        assertThat(targets[1].spatial()).isEqualTo(1);
        assertThat(allocator.probeNeeded()).as("the limit is reached: nothing more to probe for").isFalse();
        assertThat(allocator.probeTargetBps()).isZero();
        assertThat(allocator.allocatedBps()).isEqualTo(340 * K);
    }

    @Test
    void reusesItsScratchSpaceForManySubscriptions() {
        BitrateAllocator allocator = new BitrateAllocator();
        int n = 50;
        AllocationInput[] inputs = new AllocationInput[n];
        AllocationTarget[] targets = new AllocationTarget[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = new AllocationInput().reset(i, TrackKind.VIDEO).layerBitrates(CAMERA);
            targets[i] = new AllocationTarget();
        }
        // All lowest layers (115 each with headroom, 100 charged) fit; the 500 left lift the first nine
        // to (0,1) (72.5 each with headroom, 50 charged).
        allocator.allocate(50 * 110 * K, inputs, targets, n);
        for (int i = 0; i < n; i++) {
            assertThat(targets[i].spatial() + "," + targets[i].temporal()).isEqualTo(i < 9 ? "0,1" : "0,0");
        }
        allocator.allocate(5 * 100 * K, inputs, targets, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(targets[i].isPaused()).isEqualTo(i >= 4); // 115 each with headroom: four fit in 500
        }
    }
}
