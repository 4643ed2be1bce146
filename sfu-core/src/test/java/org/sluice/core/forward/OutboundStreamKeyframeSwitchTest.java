package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.forward.OutboundStreamTest.VP8_DELTA;
import static org.sluice.core.forward.OutboundStreamTest.VP8_KEY;

/**
 * A receiver moved to another simulcast layer switches at that layer's keyframe only once the keyframe is whole in
 * its loop's packet cache: until then it keeps getting the layer it is shown, then gets the keyframe (and what of the
 * new layer arrived behind it) from the cache, in order, on one contiguous sequence line. Packets are published
 * through {@link InboundStream#forward} on one loop, so the cache holds what the fan-out forwarded.
 */
class OutboundStreamKeyframeSwitchTest {

    private static final long LOW = 0x1000;
    private static final long HIGH = 0x2000;

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final DefaultEventLoop eventLoop = new DefaultEventLoop(new DefaultThreadFactory("switch-0"));
    private final MediaLoop loop = new MediaLoop(0, eventLoop);
    private final MediaSlot lowSlot = new MediaSlot(MediaKind.VIDEO, 1);
    private final MediaSlot highSlot = new MediaSlot(MediaKind.VIDEO, 1);
    private final List<Long> keyframeRequests = new ArrayList<>();
    private final InboundStream low = layer(LOW, lowSlot);
    private final InboundStream high = layer(HIGH, highSlot);
    private final CollectingLeg leg = new CollectingLeg();
    private final RtpPacket view = new RtpPacket();

    @AfterEach
    void stop() throws InterruptedException {
        low.retire();
        high.retire();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(eventLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private InboundStream layer(long ssrc, MediaSlot slot) {
        InboundStream stream = new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000, new KeyframeRequester(ssrc, keyframeRequests::add, now::get,
                KeyframeRequester.DEFAULT_INTERVAL_NANOS), List.of(loop));
        slot.attachSource(stream);
        return stream;
    }

    /** One packet of {@code layer}: frame {@code frame}'s part {@code part}; its last byte is {@code tag}. */
    private void publish(InboundStream layer, int sequence, int frame, boolean key, boolean first, boolean last,
                         int tag) {
        byte[] descriptor = key ? VP8_KEY : VP8_DELTA;
        byte[] payload = Arrays.copyOf(descriptor, descriptor.length + 1);
        if (!first) {
            payload[0] &= ~0x10; // not the start of a partition: only the frame's first packet reads as a keyframe
        }
        payload[payload.length - 1] = (byte) tag;
        ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(layer.ssrc()).sequenceNumber(sequence)
                .timestamp(3000L * frame).marker(last).payload(payload).build();
        try {
            assertThat(view.wrap(packet)).isTrue();
            layer.forward(packet, view, loop);
        } finally {
            packet.release();
        }
    }

    private static List<Integer> tags(List<Sent> sent) {
        return sent.stream().map(s -> (int) s.payload()[s.payload().length - 1]).toList();
    }

    @Test
    void theSwitchWaitsForTheWholeKeyframeAndSendsItFromTheCacheInOrder() {
        OutboundStream out = new OutboundStream(leg, 0xCAFE, lowSlot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, now::get);
        out.offerLayers(new MediaSlot[] {lowSlot, highSlot});
        lowSlot.addSink(out, 0);
        publish(low, 10, 1, true, true, true, 1);
        publish(low, 11, 2, false, true, true, 2);

        out.moveTo(highSlot, 0);
        // The high layer's keyframe in three packets; the middle one is late (repaired on the publisher's uplink).
        publish(high, 500, 100, true, true, false, 21);
        publish(low, 12, 3, false, true, true, 3);
        publish(high, 502, 100, true, false, true, 23);
        publish(high, 503, 101, false, true, true, 24); // the next frame, before the keyframe is whole
        publish(low, 13, 4, false, true, true, 4);
        assertThat(tags(leg.sent())).as("the low layer until the keyframe is whole").containsExactly(1, 2, 3, 4);

        publish(high, 501, 100, true, false, false, 22); // the missing packet: whole now
        publish(low, 14, 5, false, true, true, 5); // switched: no more of the low layer
        publish(high, 504, 102, false, true, true, 25);

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(tags(sent)).containsExactly(1, 2, 3, 4, 21, 22, 23, 24, 25);
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).sequenceNumber()).as("packet %d", i)
                    .isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
        }
        assertThat(sent.get(4).payload()[1] & 0x01).as("the first packet of the high layer is its keyframe's")
                .isZero();
        assertThat(sent.get(6).marker()).isTrue();
        out.settleMove();
        assertThat(lowSlot.receiverCount()).isZero();
    }

    @Test
    void aKeyframeThatNeverBecomesWholeIsGivenUpAndTheNextOneIsTaken() {
        OutboundStream out = new OutboundStream(leg, 0xCAFE, lowSlot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, now::get);
        out.offerLayers(new MediaSlot[] {lowSlot, highSlot});
        lowSlot.addSink(out, 0);
        publish(low, 10, 1, true, true, true, 1);
        out.moveTo(highSlot, 0);

        publish(high, 500, 100, true, true, false, 21); // its second packet never comes
        publish(high, 502, 101, false, true, true, 23);
        now.addAndGet(PendingKeyframe.MAX_WAIT_NANOS);
        keyframeRequests.clear();
        publish(high, 503, 102, false, true, true, 24);
        assertThat(keyframeRequests).as("asked for the next keyframe").containsExactly(HIGH);
        publish(low, 11, 2, false, true, true, 2);
        publish(high, 504, 103, true, true, true, 25); // a one-packet keyframe, whole at once
        publish(low, 12, 3, false, true, true, 3);

        assertThat(tags(leg.sent())).containsExactly(1, 2, 25);
    }
}
