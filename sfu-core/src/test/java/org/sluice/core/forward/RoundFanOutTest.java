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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.forward.OutboundStreamTest.VP8_DELTA;
import static org.sluice.core.forward.OutboundStreamTest.VP8_KEY;

/**
 * A video stream's packets read in one round of its loop reach the receivers when the round's tasks run, receiver by
 * receiver, each in order; they are kept for NACKs; a round longer than {@link RoundFanOut#CAPACITY} keeps its order;
 * a stream retired with packets waiting releases them unsent.
 */
class RoundFanOutTest {

    private static final long SSRC = 0x7070;

    private final DefaultEventLoop el0 = new DefaultEventLoop(new DefaultThreadFactory("round-0"));
    private final MediaLoop loop0 = new MediaLoop(0, el0);
    private final MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
    private final InboundStream source = new InboundStream(SSRC, MediaKind.VIDEO, slot,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, 90_000,
            new KeyframeRequester(SSRC, s -> { }, System::nanoTime, KeyframeRequester.DEFAULT_INTERVAL_NANOS),
            List.of(loop0));
    private final List<ByteBuf> published = new ArrayList<>();
    /** Every receiver's sends in the order they happened: receiver index, then our sequence number. */
    private final List<int[]> sends = Collections.synchronizedList(new ArrayList<>());

    RoundFanOutTest() {
        slot.attachSource(source);
    }

    @AfterEach
    void stop() throws InterruptedException {
        source.retire();
        el0.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(el0.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(published).allSatisfy(p -> assertThat(p.refCnt()).as("released").isZero());
    }

    /** A receiver whose sends are also logged, with its index, in {@link #sends}. */
    private CollectingLeg receiver(int index) {
        CollectingLeg collecting = new CollectingLeg(
                packet -> sends.add(new int[] {index, packet.getUnsignedShort(packet.readerIndex() + 2)}));
        OutboundStream out = new OutboundStream(collecting, 0xB000 + index, slot,
                new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, System::nanoTime);
        slot.addSink(out, 0);
        return collecting;
    }

    /** Publishes packets {@code first..first+count-1} in one task of the loop (one round); the first is a keyframe. */
    private int publishRound(int first, int count) throws Exception {
        return el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            for (int seq = first; seq < first + count; seq++) {
                byte[] base = seq == first ? VP8_KEY : VP8_DELTA;
                byte[] payload = Arrays.copyOf(base, base.length + 1);
                payload[base.length] = (byte) seq;
                ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(SSRC).sequenceNumber(seq)
                        .timestamp(3000L * seq).marker(true).payload(payload).build();
                published.add(packet);
                view.wrap(packet);
                source.forward(packet, view, loop0);
                packet.release();
            }
            return sends.size(); // what was sent before the round's tasks ran
        }).get(10, TimeUnit.SECONDS);
    }

    private void settle() throws Exception {
        el0.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private static List<Integer> tags(CollectingLeg leg) {
        return leg.sent().stream().map(s -> s.payload()[s.payload().length - 1] & 0xFF).toList();
    }

    @Test
    void aRoundReachesEachReceiverInTurnOnceItsTasksRun() throws Exception {
        List<CollectingLeg> legs = List.of(receiver(0), receiver(1), receiver(2));

        int sentDuringTheRound = publishRound(10, 4);
        settle();

        if (!RoundFanOut.enabled()) {
            return; // -Dsluice.fanout=packet: each packet went to every receiver as it came
        }
        assertThat(sentDuringTheRound).as("sent while the round's packets were being read").isZero();
        for (CollectingLeg leg : legs) {
            assertThat(tags(leg)).containsExactly(10, 11, 12, 13);
            assertThat(leg.failures()).isEmpty();
        }
        assertThat(sends).extracting(s -> s[0]).as("receiver by receiver")
                .containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
        el0.submit(() -> {
            for (int seq = 10; seq < 14; seq++) {
                assertThat(source.cache(0).get(seq, System.nanoTime())).as("kept for NACKs: %d", seq).isNotNull();
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRoundLongerThanItsCapacityKeepsItsOrder() throws Exception {
        CollectingLeg leg = receiver(0);
        int count = 2 * RoundFanOut.CAPACITY + 5;

        publishRound(100, count);
        settle();

        List<Sent> sent = leg.sent();
        assertThat(sent).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(sent.get(i).payload()[sent.get(i).payload().length - 1] & 0xFF).isEqualTo((100 + i) & 0xFF);
            if (i > 0) {
                assertThat(sent.get(i).sequenceNumber()).isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
            }
        }
    }

    @Test
    void aStreamRetiredWithPacketsWaitingReleasesThemUnsent() throws Exception {
        CollectingLeg leg = receiver(0);

        el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(SSRC).sequenceNumber(1).timestamp(0)
                    .marker(true).payload(Arrays.copyOf(VP8_KEY, VP8_KEY.length + 1)).build();
            published.add(packet);
            view.wrap(packet);
            source.forward(packet, view, loop0);
            packet.release();
            source.retire(); // before the round's tasks run
        }).get(10, TimeUnit.SECONDS);
        settle();

        if (RoundFanOut.enabled()) {
            assertThat(leg.sent()).isEmpty();
        }
        // the published packet's release is checked after the loop stops
    }
}
