package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.ext.ExtensionType;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.testing.ChromeVp8L1T3;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporal layers named only by the dependency descriptor (Chrome's VP8 L1T3, replayed from a capture) on the
 * forwarding path: a receiver limited to T0-T1 or T0 gets whole frames of those layers with continuous sequence
 * numbers and the descriptor forwarded under its own extension id; the drops are counted for the engine's metrics;
 * a limit that starts mid-stream needs no key frame.
 */
class OutboundStreamDescriptorLayerTest {

    private static final String DD_URI = ExtensionType.DEPENDENCY_DESCRIPTOR.uri();
    private static final int RECEIVER_DD_ID = 5;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger keyframeRequests = new AtomicInteger();
    private final CollectingLeg leg = new CollectingLeg();
    private final RtpPacket view = new RtpPacket();
    private final MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
    private final RepairCounters counters = new RepairCounters();
    private final InboundStream source = new InboundStream(0x1234, MediaKind.VIDEO, slot,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.fromUris(Map.of(DD_URI, ChromeVp8L1T3.DEPENDENCY_DESCRIPTOR_ID)),
            90_000, new KeyframeRequester(0x1234, s -> keyframeRequests.incrementAndGet(), now::get, 1), List.of());

    private OutboundStream receiver() {
        slot.attachSource(source);
        return new OutboundStream(leg, 0xBEEF, -1, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.fromUris(Map.of(DD_URI, RECEIVER_DD_ID)), now::get, counters);
    }

    private void send(OutboundStream out, ChromeVp8L1T3.Packet p) {
        ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(0x1234).sequenceNumber(p.sequenceNumber())
                .timestamp(p.timestamp()).marker(p.marker())
                .twoByteExtension(ChromeVp8L1T3.DEPENDENCY_DESCRIPTOR_ID, p.dependencyDescriptor())
                .payload(p.payload()).build();
        try {
            now.addAndGet(10_000_000L);
            view.wrap(packet);
            out.forward(packet, view, source, 0);
        } finally {
            packet.release();
        }
    }

    /** The frame number of the descriptor each sent packet carries under the receiver's id. */
    private List<Integer> sentFrameNumbers() {
        List<Integer> frames = new ArrayList<>();
        HeaderExtensions extensions = new HeaderExtensions();
        RtpPacket sent = new RtpPacket();
        for (CollectingLeg.Sent s : leg.sent()) {
            ByteBuf buf = Unpooled.wrappedBuffer(s.header(), s.payload());
            assertThat(sent.wrap(buf)).isTrue();
            assertThat(extensions.wrap(sent)).isTrue();
            int h = extensions.find(RECEIVER_DD_ID);
            assertThat(h).as("the descriptor goes out under the receiver's id").isNotNegative();
            byte[] dd = ByteBufUtil.getBytes(buf, h, extensions.lengthAt(h));
            frames.add(((dd[1] & 0xFF) << 8) | (dd[2] & 0xFF));
            assertThat(ChromeVp8L1T3.PACKETS).as("descriptor %s forwarded as it was", HexFormat.of().formatHex(dd))
                    .anyMatch(p -> java.util.Arrays.equals(p.dependencyDescriptor(), dd));
        }
        return frames;
    }

    @Test
    void aReceiverLimitedToT0AndT1GetsTheirWholeFramesWithContinuousNumbers() {
        OutboundStream out = receiver();
        out.limitLayers(OutboundStream.ALL_LAYERS, 1);
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            send(out, p);
        }
        assertThat(leg.failures()).isEmpty();
        List<CollectingLeg.Sent> sent = leg.sent();
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).sequenceNumber()).as("packet %d", i)
                    .isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
        }
        List<Integer> frames = sentFrameNumbers();
        assertThat(frames).startsWith(1, 3, 5, 7, 9, 9, 11, 13, 13, 15, 17);
        assertThat(frames).doesNotContain(2, 4, 6, 8, 10, 12, 14, 16);
        int t2Frames = (int) ChromeVp8L1T3.PACKETS.stream().filter(p -> (p.dependencyDescriptor()[0] & 0x40) != 0
                && (p.dependencyDescriptor()[0] & 0x3F) >= 5).count();
        assertThat(out.framesDroppedByLayer()).isEqualTo(t2Frames);
        assertThat(counters.layers.framesDropped.sum()).isEqualTo(t2Frames);
        assertThat(counters.layers.packetsDropped.sum()).isEqualTo(ChromeVp8L1T3.PACKETS.size() - sent.size());
        assertThat(counters.layers.descriptorsUnresolved.sum()).isZero();
    }

    @Test
    void aLimitThatStartsMidStreamSwitchesAtTheNextSwitchPointWithoutAKeyFrame() {
        OutboundStream out = receiver();
        List<ChromeVp8L1T3.Packet> packets = ChromeVp8L1T3.PACKETS;
        for (ChromeVp8L1T3.Packet p : packets.subList(0, 4)) { // frames 1-4, every layer
            send(out, p);
        }
        int requestsBefore = keyframeRequests.get();
        out.limitLayers(OutboundStream.ALL_LAYERS, 0);
        for (ChromeVp8L1T3.Packet p : packets.subList(4, 20)) {
            send(out, p);
        }
        assertThat(keyframeRequests.get()).as("no key frame asked for").isEqualTo(requestsBefore);
        assertThat(sentFrameNumbers()).containsExactly(1, 2, 3, 4, 5, 9, 9, 13, 13, 17);
        List<CollectingLeg.Sent> sent = leg.sent();
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).sequenceNumber()).isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
        }
    }

    @Test
    void aReceiverWithoutTheDescriptorGetsNoneAndContinuousNumbers() {
        slot.attachSource(source);
        OutboundStream out = new OutboundStream(leg, 0xBEEF, -1, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, now::get, counters);
        out.limitLayers(OutboundStream.ALL_LAYERS, 0);
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            send(out, p);
        }
        List<CollectingLeg.Sent> sent = leg.sent();
        // T0 frames only: 1, 5, 9, 13, 17, 21, 25, 29, the key frame 31 (a new structure) and 33 ...
        assertThat(sent.size()).isBetween(8, 20);
        HeaderExtensions extensions = new HeaderExtensions();
        RtpPacket view = new RtpPacket();
        for (int i = 0; i < sent.size(); i++) {
            ByteBuf buf = Unpooled.wrappedBuffer(sent.get(i).header(), sent.get(i).payload());
            assertThat(view.wrap(buf)).isTrue();
            assertThat(extensions.wrap(view)).isTrue();
            assertThat(extensions.find(ChromeVp8L1T3.DEPENDENCY_DESCRIPTOR_ID)).isNegative();
            assertThat(extensions.first()).as("no header extension the receiver did not negotiate").isNegative();
            if (i > 0) {
                assertThat(sent.get(i).sequenceNumber()).isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
            }
        }
        assertThat(counters.layers.framesDropped.sum()).isPositive();
    }

    @Test
    void withoutALimitEverythingGoesOutAndNothingIsCounted() {
        OutboundStream out = receiver();
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            send(out, p);
        }
        assertThat(leg.sent()).hasSize(ChromeVp8L1T3.PACKETS.size());
        assertThat(counters.layers.framesDropped.sum()).isZero();
        for (int i = 0; i < leg.sent().size(); i++) {
            assertThat(leg.sent().get(i).payload()).isEqualTo(ChromeVp8L1T3.PACKETS.get(i).payload());
        }
    }
}
