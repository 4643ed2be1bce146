package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.forward.OutboundStreamTest.VP8_DELTA;
import static org.sluice.core.forward.OutboundStreamTest.VP8_KEY;

/** {@link OutboundStream#moveTo}, {@link OutboundStream#pause} and {@link OutboundStream#resume} on one loop. */
class OutboundStreamMoveTest {

    private static final long RECEIVER_SSRC = 0xCAFEBABEL;
    private static final long INTERVAL = 300_000_000L;
    private static final long LOW = 0x1000;
    private static final long HIGH = 0x2000;

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<Long> keyframeRequests = new ArrayList<>();
    private final CollectingLeg leg = new CollectingLeg();
    private final RtpPacket view = new RtpPacket();
    private final MediaSlot lowSlot = new MediaSlot(MediaKind.VIDEO, 1);
    private final MediaSlot highSlot = new MediaSlot(MediaKind.VIDEO, 1);
    /** Two simulcast layers of one track, each its slot's source. */
    private final InboundStream low = video(LOW, lowSlot);
    private final InboundStream high = video(HIGH, highSlot);

    private InboundStream video(long ssrc, MediaSlot slot) {
        InboundStream stream = new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000, new KeyframeRequester(ssrc, keyframeRequests::add, now::get, INTERVAL),
                List.of());
        slot.attachSource(stream);
        return stream;
    }

    private InboundStream audio(long ssrc, MediaSlot slot) {
        InboundStream stream = new InboundStream(ssrc, MediaKind.AUDIO, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.NONE, 48_000, new KeyframeRequester(ssrc, keyframeRequests::add, now::get, INTERVAL),
                List.of());
        slot.attachSource(stream);
        return stream;
    }

    private OutboundStream receiver(MediaSlot slot, Map<Integer, Codec> codecs) {
        OutboundStream out = new OutboundStream(leg, RECEIVER_SSRC, slot, new CodecTable(codecs), ExtensionIds.NONE,
                now::get);
        if (slot.kind() == MediaKind.VIDEO) {
            out.offerLayers(new MediaSlot[] {lowSlot, highSlot}); // the track's simulcast layers, lowest first
        }
        slot.addSink(out, 0);
        return out;
    }

    /** Delivers a packet the way the slot's fan-out does: to every sink the slot has (none when paused). */
    private void publish(InboundStream from, RtpPacketBuilder packet) {
        ByteBuf buf = packet.build();
        try {
            assertThat(view.wrap(buf)).isTrue();
            for (OutboundStream sink : from.slot().sinksByLoop()[0]) {
                sink.forward(buf, view, from, 0);
            }
        } finally {
            buf.release();
        }
    }

    /** Delivers a packet to {@code out} directly: a late one from a sinks snapshot or a mailbox. */
    private void late(OutboundStream out, InboundStream from, RtpPacketBuilder packet) {
        ByteBuf buf = packet.build();
        try {
            assertThat(view.wrap(buf)).isTrue();
            out.forward(buf, view, from, 0);
        } finally {
            buf.release();
        }
    }

    private static RtpPacketBuilder vp8(long ssrc, int seq, long ts, byte[] payload) {
        return new RtpPacketBuilder().payloadType(96).ssrc(ssrc).sequenceNumber(seq).timestamp(ts).payload(payload);
    }

    private static byte[] tagged(byte[] payload, int tag) {
        byte[] out = Arrays.copyOf(payload, payload.length + 1);
        out[payload.length] = (byte) tag;
        return out;
    }

    private static void assertContiguous(List<Sent> sent) {
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).sequenceNumber()).as("packet %d", i)
                    .isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
        }
    }

    @Test
    void moveToAnotherLayerKeepsTheCurrentLayerUntilTheNewOnesKeyframeThenContinuesTheLines() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));
        keyframeRequests.clear();

        publish(low, vp8(LOW, 100, 10_000, tagged(VP8_KEY, 1)));
        publish(low, vp8(LOW, 101, 13_000, tagged(VP8_DELTA, 2)));

        out.moveTo(highSlot, 0);

        assertThat(out.slot()).isSameAs(highSlot);
        assertThat(lowSlot.receiverCount()).as("kept until the switch").isEqualTo(1);
        assertThat(highSlot.receiverCount()).isEqualTo(1);
        assertThat(keyframeRequests).containsExactly(HIGH); // asked for the new layer's keyframe

        publish(low, vp8(LOW, 102, 16_000, tagged(VP8_DELTA, 3))); // still shown
        publish(high, vp8(HIGH, 5000, 700_000, tagged(VP8_DELTA, 4))); // undecodable without a keyframe
        now.addAndGet(1_000_000_000L);
        publish(high, vp8(HIGH, 5000, 700_000, tagged(VP8_DELTA, 4))); // still no keyframe: asked again
        publish(low, vp8(LOW, 103, 19_000, tagged(VP8_DELTA, 5)));
        Sent lastOfLow = leg.last();
        now.addAndGet(30_000_000L); // the new layer's keyframe comes 30 ms after the last packet of the old one
        publish(high, vp8(HIGH, 5001, 703_000, tagged(VP8_KEY, 6)).marker(true)); // a whole one-packet keyframe
        publish(low, vp8(LOW, 104, 22_000, tagged(VP8_DELTA, 7))); // switched: the old layer is over
        publish(high, vp8(HIGH, 5002, 706_000, tagged(VP8_DELTA, 8)));

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1, (byte) 2,
                (byte) 3, (byte) 5, (byte) 6, (byte) 8);
        assertThat(sent).allSatisfy(s -> assertThat(s.ssrc()).isEqualTo(RECEIVER_SSRC));
        assertContiguous(sent);
        Sent firstOfHigh = sent.get(4);
        assertThat((firstOfHigh.timestamp() - lastOfLow.timestamp()) & 0xFFFFFFFFL).isEqualTo(2700); // 30 ms
        assertThat((sent.get(5).timestamp() - firstOfHigh.timestamp()) & 0xFFFFFFFFL).isEqualTo(3000);
        assertThat(keyframeRequests).as("retried while the new layer sent no keyframe, not again at the keyframe")
                .containsExactly(HIGH, HIGH);

        out.settleMove();
        assertThat(lowSlot.receiverCount()).as("left once switched").isZero();
        assertThat(highSlot.receiverCount()).isEqualTo(1);
    }

    @Test
    void aMoveDownStopsTheHigherLayerAtOnceAndWaitsForTheLowerOnesKeyframe() {
        OutboundStream out = receiver(highSlot, Map.of(96, Codec.VP8));
        publish(high, vp8(HIGH, 1, 0, tagged(VP8_KEY, 1)).marker(true));
        keyframeRequests.clear();

        out.moveTo(lowSlot, 0);
        assertThat(highSlot.receiverCount()).isZero();
        assertThat(keyframeRequests).containsExactly(LOW);
        publish(high, vp8(HIGH, 2, 3000, tagged(VP8_DELTA, 2))); // no longer a sink: nothing arrives
        late(out, high, vp8(HIGH, 3, 6000, tagged(VP8_DELTA, 3))); // in flight: dropped
        publish(low, vp8(LOW, 50, 90_000, tagged(VP8_DELTA, 4)));
        publish(low, vp8(LOW, 51, 93_000, tagged(VP8_KEY, 5)));

        assertThat(leg.sent()).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1,
                (byte) 5);
        assertContiguous(leg.sent());
    }

    @Test
    void backUpBeforeTheLowerLayerSentAnythingResumesTheHigherOneAtItsKeyframeWithoutAHole() {
        // A simulcast publisher sends each layer's packets in bursts, so a move down and straight back can happen
        // while only the shown layer's packets arrive: the ones missed in between must not leave a hole.
        OutboundStream out = receiver(highSlot, Map.of(96, Codec.VP8));
        publish(high, vp8(HIGH, 1, 0, tagged(VP8_KEY, 1)).marker(true));
        publish(high, vp8(HIGH, 2, 3000, tagged(VP8_DELTA, 2)).marker(true));

        out.moveTo(lowSlot, 0);
        publish(high, vp8(HIGH, 3, 6000, tagged(VP8_DELTA, 3)).marker(true)); // no longer a sink: missed
        out.moveTo(highSlot, 0);
        publish(high, vp8(HIGH, 4, 9000, tagged(VP8_DELTA, 4)).marker(true)); // after the miss: not decodable
        publish(high, vp8(HIGH, 5, 12000, tagged(VP8_KEY, 5)).marker(true));
        publish(high, vp8(HIGH, 6, 15000, tagged(VP8_DELTA, 6)).marker(true));

        List<Sent> sent = leg.sent();
        assertThat(sent).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1, (byte) 2,
                (byte) 5, (byte) 6);
        assertContiguous(sent);
        assertThat(keyframeRequests).contains(HIGH);
    }

    @Test
    void aStreamThatShowsNothingYetMovesAtOnce() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));
        publish(low, vp8(LOW, 1, 0, tagged(VP8_DELTA, 1))); // waits for a keyframe of the low layer

        out.moveTo(highSlot, 0);
        assertThat(lowSlot.receiverCount()).isZero();
        late(out, low, vp8(LOW, 2, 3000, tagged(VP8_KEY, 2))); // in flight: not from the new layer
        publish(high, vp8(HIGH, 9, 90_000, tagged(VP8_KEY, 3)));

        assertThat(leg.sent()).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 3);
    }

    @Test
    void aLayerThatSendsNoKeyframeIsGivenUpOnAfterTheBridgeExpires() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));
        publish(low, vp8(LOW, 1, 0, tagged(VP8_KEY, 1)));
        out.moveTo(highSlot, 0);

        now.addAndGet(OutboundStream.MAX_BRIDGE_NANOS - 1);
        out.settleMove();
        assertThat(lowSlot.receiverCount()).isEqualTo(1);
        publish(low, vp8(LOW, 2, 3000, tagged(VP8_DELTA, 2)));
        now.addAndGet(1);
        out.settleMove();
        assertThat(lowSlot.receiverCount()).isZero();
        late(out, low, vp8(LOW, 3, 6000, tagged(VP8_DELTA, 3))); // in flight: the old layer is over
        publish(high, vp8(HIGH, 50, 90_000, tagged(VP8_DELTA, 4)));
        publish(high, vp8(HIGH, 51, 93_000, tagged(VP8_KEY, 5)));

        List<Sent> sent = leg.sent();
        assertThat(sent).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1, (byte) 2,
                (byte) 5);
        assertContiguous(sent);
    }

    @Test
    void pausingDuringASwitchLeavesBothSlots() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));
        publish(low, vp8(LOW, 1, 0, tagged(VP8_KEY, 1)));
        out.moveTo(highSlot, 0);
        out.pause();

        assertThat(lowSlot.receiverCount()).isZero();
        assertThat(highSlot.receiverCount()).isZero();
        late(out, low, vp8(LOW, 2, 3000, tagged(VP8_DELTA, 2)));
        assertThat(leg.count()).isEqualTo(1);
    }

    @Test
    void movingAudioNeedsNoKeyframeAndKeepsTheLinesContinuous() {
        MediaSlot a = new MediaSlot(MediaKind.AUDIO, 1);
        MediaSlot b = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream sa = audio(0xA, a);
        InboundStream sb = audio(0xB, b);
        OutboundStream out = receiver(a, Map.of(111, Codec.OPUS));
        publish(sa, new RtpPacketBuilder().payloadType(111).ssrc(0xA).sequenceNumber(7).timestamp(960)
                .payload(new byte[] {1, 2}));
        now.addAndGet(20_000_000L);
        out.moveTo(b, 0);
        publish(sa, new RtpPacketBuilder().payloadType(111).ssrc(0xA).sequenceNumber(8).timestamp(1920)
                .payload(new byte[] {1, 3}));
        publish(sb, new RtpPacketBuilder().payloadType(111).ssrc(0xB).sequenceNumber(60_000).timestamp(77)
                .payload(new byte[] {2, 1}));

        List<Sent> sent = leg.sent();
        assertThat(sent).hasSize(2);
        assertContiguous(sent);
        assertThat(sent.get(1).payload()).containsExactly(2, 1);
        assertThat((sent.get(1).timestamp() - sent.get(0).timestamp()) & 0xFFFFFFFFL).isEqualTo(960);
        assertThat(keyframeRequests).isEmpty();
    }

    @Test
    void movingBackBeforeTheSwitchKeepsTheLayerBeingShownWithoutABreak() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));
        publish(low, vp8(LOW, 1, 0, tagged(VP8_KEY, 1)));
        publish(low, vp8(LOW, 2, 3000, tagged(VP8_DELTA, 2)));

        out.moveTo(highSlot, 0);
        publish(high, vp8(HIGH, 70, 0, tagged(VP8_DELTA, 3)));
        out.moveTo(lowSlot, 0); // back before the high layer's keyframe: the low line was never interrupted
        publish(low, vp8(LOW, 3, 6000, tagged(VP8_DELTA, 4)));
        publish(high, vp8(HIGH, 71, 3000, tagged(VP8_KEY, 5))); // not wanted any more
        publish(low, vp8(LOW, 4, 9000, tagged(VP8_DELTA, 6)));

        List<Sent> sent = leg.sent();
        assertThat(sent).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1, (byte) 2,
                (byte) 4, (byte) 6);
        assertContiguous(sent);
        assertThat(lowSlot.receiverCount()).isEqualTo(1);
        assertThat(highSlot.receiverCount()).isZero();
    }

    @Test
    void moveToAnotherKindIsRefused() {
        MediaSlot videoSlot = new MediaSlot(MediaKind.VIDEO, 1);
        OutboundStream out = receiver(videoSlot, Map.of(96, Codec.VP8));
        assertThatThrownBy(() -> out.moveTo(new MediaSlot(MediaKind.AUDIO, 1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.slot()).isSameAs(videoSlot);
        assertThat(videoSlot.receiverCount()).isEqualTo(1);
    }

    @Test
    void pauseForwardsNothingAndResumeContinuesOnAKeyframeWithoutAHole() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream source = video(LOW, slot);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));
        publish(source, vp8(LOW, 10, 0, tagged(VP8_KEY, 1)));
        publish(source, vp8(LOW, 11, 3000, tagged(VP8_DELTA, 2)));
        Sent beforePause = leg.last();

        out.pause();
        assertThat(out.isPaused()).isTrue();
        assertThat(slot.receiverCount()).isZero(); // costs nothing per packet
        late(out, source, vp8(LOW, 12, 6000, tagged(VP8_DELTA, 3))); // in flight when paused
        for (int seq = 13; seq < 40; seq++) {
            publish(source, vp8(LOW, seq, 3000L * (seq - 11), tagged(seq % 10 == 0 ? VP8_KEY : VP8_DELTA, 9)));
        }
        assertThat(leg.count()).isEqualTo(2);

        now.addAndGet(1_000_000_000L);
        keyframeRequests.clear();
        out.resume(0);
        assertThat(out.isPaused()).isFalse();
        assertThat(slot.receiverCount()).isEqualTo(1);
        assertThat(keyframeRequests).containsExactly(LOW); // a PLI for the resync

        publish(source, vp8(LOW, 40, 87_000, tagged(VP8_DELTA, 4)));
        publish(source, vp8(LOW, 41, 90_000, tagged(VP8_KEY, 5)));
        publish(source, vp8(LOW, 42, 93_000, tagged(VP8_DELTA, 6)));

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).extracting(s -> s.payload()[s.payload().length - 1]).containsExactly((byte) 1, (byte) 2,
                (byte) 5, (byte) 6);
        assertContiguous(sent); // no hole for the receiver to NACK
        Sent afterResume = sent.get(2);
        assertThat(afterResume.payload()[1] & 0x01).isZero(); // a VP8 key frame
        // the elapsed second (90000 ticks) plus the 3000 ticks from the first packet seen to the keyframe
        assertThat((afterResume.timestamp() - beforePause.timestamp()) & 0xFFFFFFFFL).isEqualTo(93_000);
    }

    @Test
    void pauseAndResumeAreIdempotentAndAMoveWhilePausedTakesEffectOnResume() {
        OutboundStream out = receiver(lowSlot, Map.of(96, Codec.VP8));

        out.resume(0); // not paused: nothing happens
        assertThat(lowSlot.receiverCount()).isEqualTo(1);
        out.pause();
        out.pause();
        keyframeRequests.clear();
        out.moveTo(highSlot, 0);
        assertThat(out.slot()).isSameAs(highSlot);
        assertThat(lowSlot.receiverCount()).isZero();
        assertThat(highSlot.receiverCount()).isZero();
        assertThat(keyframeRequests).isEmpty(); // nobody receives yet

        out.resume(0);
        out.resume(0);
        assertThat(highSlot.receiverCount()).isEqualTo(1);
        assertThat(keyframeRequests).containsExactly(HIGH);
        publish(high, vp8(HIGH, 1, 0, tagged(VP8_KEY, 1)));
        assertThat(leg.count()).isEqualTo(1);
    }
}
