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
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.forward.OutboundStreamTest.VP8_DELTA;
import static org.sluice.core.forward.OutboundStreamTest.VP8_KEY;

/**
 * Two simulcast layers publish on a media loop while another thread keeps moving, pausing and resuming
 * the receiver: whatever the interleaving, the receiver sees one contiguous sequence line, timestamps
 * that never go back, a keyframe first whenever the layer changes, and, once a move has returned, the
 * old layer at most until the new layer's first keyframe.
 */
class OutboundStreamConcurrentMoveTest {

    private static final int LOW = 1;
    private static final int HIGH = 2;

    private final DefaultEventLoop el0 = new DefaultEventLoop(new DefaultThreadFactory("move-0"));
    private final MediaLoop loop0 = new MediaLoop(0, el0);
    private final MediaSlot lowSlot = new MediaSlot(MediaKind.VIDEO, 1);
    private final MediaSlot highSlot = new MediaSlot(MediaKind.VIDEO, 1);
    private final InboundStream low = layer(0x1000, lowSlot);
    private final InboundStream high = layer(0x2000, highSlot);
    private final CollectingLeg leg = new CollectingLeg();
    private final List<ByteBuf> published = new ArrayList<>();

    @AfterEach
    void stopLoop() throws InterruptedException {
        low.retire(); // the loop releases what the video packet caches hold before it stops
        high.retire();
        el0.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(el0.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private InboundStream layer(long ssrc, MediaSlot slot) {
        InboundStream stream = new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000,
                new KeyframeRequester(ssrc, s -> { }, System::nanoTime, KeyframeRequester.DEFAULT_INTERVAL_NANOS),
                List.of(loop0));
        slot.attachSource(stream);
        return stream;
    }

    /** Publishes frames {@code first..first+count-1} of both layers on the loop; every tenth is a keyframe. */
    private Future<?> publish(int first, int count) {
        return el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            for (int i = first; i < first + count; i++) {
                publishOne(view, low, LOW, i);
                publishOne(view, high, HIGH, i);
            }
        });
    }

    private void publishOne(RtpPacket view, InboundStream layer, int tag, int i) {
        byte[] payload = Arrays.copyOf(i % 10 == 0 ? VP8_KEY : VP8_DELTA, (i % 10 == 0 ? VP8_KEY : VP8_DELTA).length + 3);
        payload[payload.length - 3] = (byte) tag;
        payload[payload.length - 2] = (byte) (i >> 8);
        payload[payload.length - 1] = (byte) i;
        ByteBuf packet = new RtpPacketBuilder().payloadType(96).marker(true).ssrc(layer.ssrc()).sequenceNumber(i & 0xFFFF)
                .timestamp(3000L * i + tag * 1_000_000L).payload(payload).build();
        published.add(packet);
        view.wrap(packet);
        layer.forward(packet, view, loop0);
        packet.release();
    }

    private static int tag(Sent s) {
        return s.payload()[s.payload().length - 3];
    }

    private static int index(Sent s) {
        byte[] p = s.payload();
        return ((p[p.length - 2] & 0xFF) << 8) | (p[p.length - 1] & 0xFF);
    }

    private static boolean keyframe(Sent s) {
        return (s.payload()[1] & 0x01) == 0;
    }

    @Test
    void movesPausesAndResumesFromAnotherThreadKeepTheReceiversLineIntact() throws Exception {
        OutboundStream out = new OutboundStream(leg, 0xCAFE, lowSlot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, System::nanoTime);
        out.offerLayers(new MediaSlot[] {lowSlot, highSlot});
        lowSlot.addSink(out, 0);

        Future<?> publishing = publish(0, 20_000);
        SplittableRandom random = new SplittableRandom(42);
        int operations = 0;
        while (!publishing.isDone()) {
            switch (random.nextInt(5)) {
                case 0 -> out.moveTo(lowSlot, 0);
                case 1 -> out.moveTo(highSlot, 0);
                case 2 -> out.pause();
                case 3 -> out.settleMove();
                default -> out.resume(0);
            }
            operations++;
            Thread.onSpinWait();
        }
        publishing.get(10, TimeUnit.SECONDS);
        out.resume(0);
        out.moveTo(highSlot, 0);
        int afterMove = 20_000;
        publish(afterMove, 100).get(10, TimeUnit.SECONDS);

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(operations).isGreaterThan(10);
        assertThat(sent).isNotEmpty();
        assertThat(keyframe(sent.get(0))).isTrue();
        for (int i = 1; i < sent.size(); i++) {
            Sent previous = sent.get(i - 1);
            Sent current = sent.get(i);
            assertThat(current.sequenceNumber()).as("packet %d", i)
                    .isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
            assertThat((current.timestamp() - previous.timestamp()) & 0xFFFFFFFFL).as("packet %d", i)
                    .isLessThan(0x80000000L);
            if (tag(current) != tag(previous)) {
                assertThat(keyframe(current)).as("first packet of a layer switch at %d", i).isTrue();
            }
        }
        List<Sent> afterLastMove = sent.stream().filter(s -> index(s) >= afterMove).toList();
        List<Sent> ofHigh = afterLastMove.stream().dropWhile(s -> tag(s) == LOW).toList();
        assertThat(ofHigh).isNotEmpty().allSatisfy(s -> assertThat(tag(s)).isEqualTo(HIGH));
        assertThat(keyframe(ofHigh.get(0))).isTrue();
        assertThat(index(ofHigh.get(0))).as("the old layer at most until the new one's first keyframe")
                .isEqualTo(afterMove);
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }
}
