package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporal layer selection on the forwarding path: a receiver limited to fewer temporal layers of a VP8 L1T3
 * source gets whole frames of the layers it asked for, with sequence numbers, picture ids and TL0PICIDX
 * continuous, so its decoder sees nothing missing.
 */
class OutboundStreamLayerTest {

    private static final int[] L1T3 = {0, 2, 1, 2};
    private static final long RECEIVER_SSRC = 0xBEEF;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CollectingLeg leg = new CollectingLeg();
    private final RtpPacket view = new RtpPacket();
    private final MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
    private final InboundStream source = new InboundStream(0x1234, MediaKind.VIDEO, slot,
            new CodecTable(Map.of(96, Codec.VP8)), ExtensionIds.NONE, 90_000,
            new KeyframeRequester(0x1234, s -> { }, now::get, KeyframeRequester.DEFAULT_INTERVAL_NANOS), List.of());

    /** Frame {@code f} of an L1T3 stream as {@code packets} packets: picture id 100+f, TL0PICIDX counting TID 0. */
    private void sendFrame(OutboundStream out, int f, int packets) {
        int tid = L1T3[f % 4];
        int tl0 = f / 4;
        for (int p = 0; p < packets; p++) {
            ByteBuf payload = Unpooled.buffer();
            payload.writeByte(0x80 | (p == 0 ? 0x10 : 0)); // X, S on the first packet
            payload.writeByte(0xe0); // I L T
            payload.writeShort(0x8000 | (100 + f));
            payload.writeByte(tl0);
            payload.writeByte(tid << 6 | (tid == 1 ? 0x20 : 0));
            payload.writeByte(p == 0 && f == 0 ? 0x00 : 0x01); // key frame only at f = 0
            payload.writeBytes(new byte[] {9, 9, (byte) f, (byte) p});
            byte[] bytes = new byte[payload.readableBytes()];
            payload.readBytes(bytes);
            ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(0x1234).sequenceNumber(1000 + f * packets + p)
                    .timestamp(3000L * f).marker(p == packets - 1).payload(bytes).build();
            try {
                view.wrap(packet);
                out.forward(packet, view, source, 0);
            } finally {
                packet.release();
            }
        }
    }

    @Test
    void aReceiverLimitedToTwoTemporalLayersGetsContinuousNumbersAndPictureIds() {
        slot.attachSource(source);
        OutboundStream out = new OutboundStream(leg, RECEIVER_SSRC, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, now::get);
        out.limitLayers(LayerSelector.ALL, 1);
        for (int f = 0; f < 40; f++) {
            sendFrame(out, f, 2);
        }
        List<CollectingLeg.Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).hasSize(20 * 2); // TID 0 and 1: frames 0, 2, 4, ... each two packets
        Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
        int previousPictureId = -1;
        int previousTl0 = -1;
        for (int i = 0; i < sent.size(); i++) {
            CollectingLeg.Sent s = sent.get(i);
            if (i > 0) {
                assertThat(s.sequenceNumber()).as("packet %d", i)
                        .isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
            }
            ByteBuf payload = Unpooled.wrappedBuffer(s.payload());
            assertThat(descriptor.wrap(payload, 0, payload.readableBytes())).isTrue();
            assertThat(descriptor.tid()).isLessThanOrEqualTo(1);
            if (descriptor.isStartOfFrame()) {
                if (previousPictureId >= 0) {
                    assertThat(descriptor.pictureId()).as("picture id of packet %d", i)
                            .isEqualTo((previousPictureId + 1) & 0x7FFF);
                    if (descriptor.tid() == 0) {
                        assertThat(descriptor.tl0PicIdx()).isEqualTo((previousTl0 + 1) & 0xFF);
                    }
                }
                previousPictureId = descriptor.pictureId();
                if (descriptor.tid() == 0) {
                    previousTl0 = descriptor.tl0PicIdx();
                }
            }
            assertThat(s.marker()).as("marker of packet %d, the last of its frame", i).isEqualTo(i % 2 == 1);
            // The payload after the descriptor is the source's, untouched.
            assertThat(s.payload()[s.payload().length - 4]).isEqualTo((byte) 9);
        }
        assertThat(out.framesDroppedByLayer()).isEqualTo(20);
    }

    @Test
    void withoutALimitEveryFrameGoesOutWithTheSourcesOwnDescriptor() {
        slot.attachSource(source);
        OutboundStream out = new OutboundStream(leg, RECEIVER_SSRC, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, now::get);
        for (int f = 0; f < 8; f++) {
            sendFrame(out, f, 1);
        }
        assertThat(leg.sent()).hasSize(8).allMatch(CollectingLeg.Sent::marker);
        Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
        ByteBuf last = Unpooled.wrappedBuffer(leg.sent().get(7).payload());
        descriptor.wrap(last, 0, last.readableBytes());
        assertThat(descriptor.pictureId()).isEqualTo(107);
        assertThat(out.framesDroppedByLayer()).isZero();
    }
}
