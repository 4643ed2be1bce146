package org.sluice.core.peer;

import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.rtp.codec.Codec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the receiver's allocator holds a video for bandwidth: only once its lowest layer has not fit for
 * {@link LegAllocator#PAUSE_AFTER_NANOS}, so a dip shorter than that costs layers but not the picture.
 */
class LegAllocatorHoldTest {

    private static final long MS = 1_000_000L;
    private static final long VIDEO_BPS = 300_000;

    private final AtomicLong now = new AtomicLong(10_000 * MS);
    private final LongAdder pauses = new LongAdder();
    private final LegAllocator allocator = new LegAllocator(pauses);
    private final MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
    private final InboundStream source = new InboundStream(0x10, MediaKind.VIDEO, slot,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, 90_000,
            new KeyframeRequester(0x10, ssrc -> { }, now::get, 1), List.of());
    private final OutboundStream video = new OutboundStream(new SilentLeg(), 0x20, slot,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, now::get);

    LegAllocatorHoldTest() {
        slot.attachSource(source);
        double[] fps = new double[LayerRates.LAYERS * LayerRates.LAYERS];
        long[] bps = new long[fps.length];
        fps[0] = 30;
        bps[0] = VIDEO_BPS;
        source.publishRates(fps, bps);
    }

    /** One allocation round 500 ms after the last, at {@code estimateBps}. */
    private void round(long estimateBps) {
        now.addAndGet(500 * MS);
        source.markArrival(now.get());
        allocator.allocate(estimateBps, true, List.of(video), now.get(), false, 0);
    }

    @Test
    void aDipShorterThanTheHoldTimeKeepsThePicture() {
        round(1_000_000);
        assertThat(video.isPausedForBandwidth()).isFalse();
        for (int i = 0; i < 3; i++) { // 1.5 s below what the lowest layer needs
            round(100_000);
            assertThat(video.isPausedForBandwidth()).as("round %d of the dip", i).isFalse();
        }
        round(1_000_000);
        round(100_000); // a new dip starts the clock again
        assertThat(video.isPausedForBandwidth()).isFalse();
        assertThat(pauses.sum()).isZero();
    }

    @Test
    void aLowestLayerThatDoesNotFitForTheHoldTimeIsHeldAndReleasedWhenItFitsAgain() {
        round(1_000_000);
        for (int i = 0; i < 4; i++) { // the first round that finds it unfit, then 1.5 s more
            round(100_000);
        }
        assertThat(video.isPausedForBandwidth()).as("kept for 1.5 s below its lowest layer").isFalse();
        round(100_000);
        assertThat(video.isPausedForBandwidth()).as("held after 2 s below its lowest layer").isTrue();
        assertThat(pauses.sum()).isOne();
        round(1_000_000);
        assertThat(video.isPausedForBandwidth()).as("released once it fits with headroom").isFalse();
    }
}
