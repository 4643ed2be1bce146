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
 * A simulcast layer its publisher is being capped to stop, or was just let send again, is withheld
 * ({@link MediaSlot#withhold}): its measured rate is misleadingly low either way, so no receiver's allocator moves up
 * to it however cheap it looks; an ordinary layer that fits is taken.
 */
class LegAllocatorWithholdTest {

    private static final long MS = 1_000_000L;
    private static final long ESTIMATE = 700_000;

    private final AtomicLong now = new AtomicLong(10_000 * MS);
    private final LegAllocator allocator = new LegAllocator(new LongAdder());
    private final MediaSlot low = new MediaSlot(MediaKind.VIDEO, 1);
    private final MediaSlot high = new MediaSlot(MediaKind.VIDEO, 1);
    private final InboundStream lowSource = source(0x10, low);
    private final InboundStream highSource = source(0x11, high);
    private final OutboundStream video = new OutboundStream(new SilentLeg(), 0x20, low,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, now::get);

    LegAllocatorWithholdTest() {
        lowSource.markArrival(now.get() - 10_000 * MS);
        video.offerLayers(new MediaSlot[] {low, high});
        rate(lowSource, 300_000);
    }

    @Test
    void aLayerArrivingAllAlongIsACandidateAtOnce() {
        for (long ago = 3_000; ago >= 0; ago -= 500) {
            highSource.markArrival(now.get() - ago * MS);
        }
        rate(highSource, 400_000);
        round(true);
        assertThat(video.bandwidthLayer()).isOne();
    }

    @Test
    void aWithheldLayerIsNotTakenHoweverCheapItLooks() {
        for (long ago = 3_000; ago >= 0; ago -= 500) {
            highSource.markArrival(now.get() - ago * MS);
        }
        rate(highSource, 100_000); // its publisher lowers it on its way to stopping it
        high.withhold(true);
        round(true);
        assertThat(video.bandwidthLayer()).as("withheld").isZero();

        high.withhold(false);
        round(true);
        assertThat(video.bandwidthLayer()).as("no longer withheld").isOne();
    }

    /** One allocation round 500 ms after the last; {@code highArrives}: the high layer's packets keep coming. */
    private void round(boolean highArrives) {
        now.addAndGet(500 * MS);
        lowSource.markArrival(now.get());
        if (highArrives) {
            highSource.markArrival(now.get());
        }
        allocator.allocate(ESTIMATE, true, List.of(video), now.get(), false, 0);
    }

    private InboundStream source(long ssrc, MediaSlot slot) {
        InboundStream source = new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000, new KeyframeRequester(ssrc, s -> { }, now::get, 1), List.of());
        slot.attachSource(source);
        return source;
    }

    private static void rate(InboundStream source, long bps) {
        double[] fps = new double[LayerRates.LAYERS * LayerRates.LAYERS];
        long[] bits = new long[fps.length];
        for (int t = 0; t < LayerRates.LAYERS; t++) { // one temporal layer: every cumulative rate the same
            fps[t] = 30;
            bits[t] = bps;
        }
        source.publishRates(fps, bits);
    }
}
