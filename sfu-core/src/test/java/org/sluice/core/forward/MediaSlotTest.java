package org.sluice.core.forward;

import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSlotTest {

    private final AtomicLong now = new AtomicLong();
    private final List<Long> requests = new ArrayList<>();
    private final CollectingLeg leg = new CollectingLeg();

    private InboundStream video(long ssrc, MediaSlot slot) {
        return new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000, new KeyframeRequester(ssrc, requests::add, now::get, 1), List.of());
    }

    private OutboundStream sink(MediaSlot slot, long ssrc) {
        return new OutboundStream(leg, ssrc, slot, new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE,
                now::get);
    }

    @Test
    void sinksAreKeptPerLoopAndRemovedExactly() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 3);
        OutboundStream a = sink(slot, 1);
        OutboundStream b = sink(slot, 2);
        OutboundStream c = sink(slot, 3);
        slot.addSink(a, 0);
        slot.addSink(b, 2);
        slot.addSink(c, 2);

        assertThat(slot.receiverCount()).isEqualTo(3);
        assertThat(slot.sinksByLoop()[0]).containsExactly(a);
        assertThat(slot.sinksByLoop()[1]).isEmpty();
        assertThat(slot.sinksByLoop()[2]).containsExactly(b, c);

        OutboundStream[][] before = slot.sinksByLoop();
        slot.removeSink(b);
        assertThat(slot.sinksByLoop()[2]).containsExactly(c);
        assertThat(before[2]).containsExactly(b, c); // a loop iterating the old snapshot is not disturbed

        slot.removeSink(b); // not there any more: no change
        slot.removeSink(a);
        slot.removeSink(c);
        assertThat(slot.receiverCount()).isZero();
    }

    @Test
    void aNewSourceOrANewReceiverAsksForAKeyframeOnlyWhenItMatters() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream first = video(0x10, slot);
        slot.attachSource(first); // nobody watching
        assertThat(requests).isEmpty();

        slot.addSink(sink(slot, 1), 0); // a viewer arrives: it needs a keyframe
        assertThat(requests).containsExactly(0x10L);

        now.addAndGet(10);
        InboundStream second = video(0x20, slot);
        slot.attachSource(second);
        assertThat(slot.source()).isSameAs(second);
        assertThat(requests).containsExactly(0x10L, 0x20L);

        slot.detachSource(first); // not the source: ignored
        assertThat(slot.source()).isSameAs(second);
        slot.detachSource(second);
        assertThat(slot.source()).isNull();
    }

    @Test
    void audioNeverAsksForKeyframes() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream audio = new InboundStream(0x30, MediaKind.AUDIO, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.NONE, 48_000, new KeyframeRequester(0x30, requests::add, now::get, 1), List.of());
        slot.addSink(sink(slot, 1), 0);
        slot.attachSource(audio);
        slot.addSink(sink(slot, 2), 0);
        assertThat(requests).isEmpty();
    }
}
