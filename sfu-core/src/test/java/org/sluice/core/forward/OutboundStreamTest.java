package org.sluice.core.forward;

import org.sluice.rtp.ext.ExtensionType;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundStreamTest {

    private static final long RECEIVER_SSRC = 0xCAFEBABEL;
    private static final long INTERVAL = 300_000_000L;
    /** VP8 descriptor (S=1, partition 0) + key frame tag (P=0) + start code + 640x480. */
    static final byte[] VP8_KEY = {0x10, 0x50, 0x2a, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01,
            0x11, 0x22, 0x33};
    /** VP8 descriptor + inter frame tag (P=1). */
    static final byte[] VP8_DELTA = {0x10, 0x51, 0x2a, 0x00, 0x44, 0x55, 0x66};

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<Long> keyframeRequests = new ArrayList<>();
    private final CollectingLeg leg = new CollectingLeg();
    private final RtpPacket view = new RtpPacket();

    private InboundStream audioSource(long ssrc, MediaSlot slot) {
        return new InboundStream(ssrc, MediaKind.AUDIO, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.NONE, 48_000, new KeyframeRequester(ssrc, keyframeRequests::add, now::get, INTERVAL),
                List.of());
    }

    private InboundStream videoSource(long ssrc, MediaSlot slot) {
        return new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000, new KeyframeRequester(ssrc, keyframeRequests::add, now::get, INTERVAL),
                List.of());
    }

    private OutboundStream receiver(MediaSlot slot, Map<Integer, Codec> codecs) {
        return new OutboundStream(leg, RECEIVER_SSRC, slot, new CodecTable(codecs), ExtensionIds.NONE, now::get);
    }

    private void forward(OutboundStream out, InboundStream from, RtpPacketBuilder packet) {
        ByteBuf buf = packet.build();
        try {
            assertThat(view.wrap(buf)).as(view.invalidReason()).isTrue();
            out.forward(buf, view, from, 0);
        } finally {
            buf.release();
        }
    }

    private static RtpPacketBuilder opus(long ssrc, int seq, long ts) {
        return new RtpPacketBuilder().payloadType(111).ssrc(ssrc).sequenceNumber(seq).timestamp(ts)
                .payload(new byte[] {(byte) seq, 0x7f, 0x00, (byte) 0xff});
    }

    private static RtpPacketBuilder vp8(long ssrc, int seq, long ts, byte[] payload) {
        return new RtpPacketBuilder().payloadType(96).ssrc(ssrc).sequenceNumber(seq).timestamp(ts).payload(payload);
    }

    @Test
    void rewritesSsrcAndPayloadTypeAndKeepsPayloadAndMarker() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(109, Codec.OPUS));
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 0xee};

        forward(out, source, opus(0x1111, 7, 1000).payload(payload).marker(true));

        assertThat(leg.failures()).isEmpty();
        Sent sent = leg.last();
        assertThat(sent.ssrc()).isEqualTo(RECEIVER_SSRC);
        assertThat(sent.payloadType()).isEqualTo(109);
        assertThat(sent.marker()).isTrue();
        assertThat(sent.payload()).isEqualTo(payload);
        assertThat(sent.header()).hasSize(12);
        assertThat(sent.header()[0]).isEqualTo((byte) 0x80); // no X, no P, no CSRC
        assertThat(out.packetsSent()).isEqualTo(1);
        assertThat(out.octetsSent()).isEqualTo(payload.length);
        assertThat(out.hasSent()).isTrue();
    }

    @Test
    void dropsCsrcsAndPublisherPadding() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));

        forward(out, source, opus(0x1111, 7, 1000).csrc(0x55).csrc(0x66).padding(8).payload(new byte[] {9, 8, 7}));

        Sent sent = leg.last();
        assertThat(sent.header()).hasSize(12);
        assertThat(sent.payload()).containsExactly(9, 8, 7);
    }

    @Test
    void sequenceNumbersAreContinuousAcrossTheWrapAndTimestampsKeepTheirSpacing() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));

        long ts = 0xFFFFF000L; // the source's timestamp wraps too
        for (int i = 0; i < 12; i++) {
            forward(out, source, opus(0x1111, (65530 + i) & 0xFFFF, (ts + 960L * i) & 0xFFFFFFFFL));
        }

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).hasSize(12);
        for (int i = 1; i < sent.size(); i++) {
            assertThat((sent.get(i).sequenceNumber() - sent.get(i - 1).sequenceNumber()) & 0xFFFF).isEqualTo(1);
            assertThat((sent.get(i).timestamp() - sent.get(i - 1).timestamp()) & 0xFFFFFFFFL).isEqualTo(960);
        }
    }

    @Test
    void outputSequenceWrapsFrom65535ToZero() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, source, opus(0x1111, 0, 0));
        int first = leg.last().sequenceNumber();
        // Walk the source forward (in hops the receiver's SRTP index estimate accepts) until our line
        // is two short of 65535, then send five consecutive packets across the wrap.
        int target = (0xFFFD - first) & 0xFFFF; // the source number we write as 65533
        int s = 0;
        while (s < target) {
            s = Math.min(target, s + 20_000);
            forward(out, source, opus(0x1111, s, 960L * s));
        }
        int hops = leg.count();
        for (int k = 1; k <= 5; k++) {
            forward(out, source, opus(0x1111, (s + k) & 0xFFFF, 960L * (s + k)));
        }
        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        List<Integer> tail = sent.subList(hops - 1, sent.size()).stream().map(Sent::sequenceNumber).toList();
        assertThat(tail).containsExactly(65533, 65534, 65535, 0, 1, 2);
        for (int i = 1; i < tail.size(); i++) {
            assertThat(tail.get(i)).isEqualTo((tail.get(i - 1) + 1) & 0xFFFF);
        }
    }

    @Test
    void aSourceChangeContinuesTheLinesWithElapsedTime() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000));
        forward(out, a, opus(0x1111, 101, 50_960));
        Sent lastOfA = leg.last();

        now.addAndGet(250_000_000L); // 250 ms later the new publisher speaks
        slot.attachSource(b);
        forward(out, b, opus(0x2222, 40_000, 3_000_000_000L));
        forward(out, b, opus(0x2222, 40_001, 3_000_000_960L));

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).hasSize(4);
        Sent firstOfB = sent.get(2);
        assertThat(firstOfB.ssrc()).isEqualTo(RECEIVER_SSRC);
        assertThat(firstOfB.sequenceNumber()).isEqualTo((lastOfA.sequenceNumber() + 1) & 0xFFFF);
        assertThat((firstOfB.timestamp() - lastOfA.timestamp()) & 0xFFFFFFFFL).isEqualTo(12_000); // 250 ms × 48 kHz
        assertThat(sent.get(3).sequenceNumber()).isEqualTo((firstOfB.sequenceNumber() + 1) & 0xFFFF);
        assertThat((sent.get(3).timestamp() - firstOfB.timestamp()) & 0xFFFFFFFFL).isEqualTo(960);
    }

    @Test
    void anImmediateSourceChangeStillAdvancesTheTimestampByOneTick() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000));
        Sent lastOfA = leg.last();

        slot.attachSource(b); // no time passes
        forward(out, b, opus(0x2222, 9, 77));

        Sent firstOfB = leg.last();
        assertThat(firstOfB.sequenceNumber()).isEqualTo((lastOfA.sequenceNumber() + 1) & 0xFFFF);
        assertThat((firstOfB.timestamp() - lastOfA.timestamp()) & 0xFFFFFFFFL).isEqualTo(1);
    }

    @Test
    void aLongGapIsCountedAsAtMostFiveSeconds() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000));
        Sent lastOfA = leg.last();

        now.addAndGet(60_000_000_000L);
        slot.attachSource(b);
        forward(out, b, opus(0x2222, 9, 77));

        assertThat((leg.last().timestamp() - lastOfA.timestamp()) & 0xFFFFFFFFL).isEqualTo(5 * 48_000);
    }

    @Test
    void latePacketsOfThePreviousSourceAreDropped() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000));
        slot.attachSource(b);
        forward(out, b, opus(0x2222, 9, 77));
        Sent lastOfB = leg.last();

        forward(out, a, opus(0x1111, 101, 50_960)); // late, from the old source

        assertThat(leg.count()).isEqualTo(2);
        forward(out, b, opus(0x2222, 10, 77 + 960));
        assertThat(leg.last().sequenceNumber()).isEqualTo((lastOfB.sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void packetsOfAStreamThatIsNotTheSlotsSourceAreDropped() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000)); // slot has no source yet
        assertThat(leg.count()).isZero();
        assertThat(out.rtpTimestampAt(now.get())).isEqualTo(-1);
    }

    @Test
    void videoWaitsForAKeyframeAndAsksForOne() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream source = videoSource(0x3333, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(100, Codec.VP8));

        forward(out, source, vp8(0x3333, 10, 9000, VP8_DELTA));
        forward(out, source, vp8(0x3333, 11, 12000, VP8_DELTA));

        assertThat(leg.count()).isZero();
        assertThat(keyframeRequests).containsExactly(0x3333L); // throttled: one per interval
        assertThat(out.packetsDropped()).isEqualTo(2);

        now.addAndGet(INTERVAL);
        forward(out, source, vp8(0x3333, 12, 15000, VP8_DELTA));
        assertThat(keyframeRequests).containsExactly(0x3333L, 0x3333L);

        forward(out, source, vp8(0x3333, 13, 18000, VP8_KEY));
        forward(out, source, vp8(0x3333, 14, 21000, VP8_DELTA));

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).payload()).isEqualTo(VP8_KEY);
        assertThat(sent.get(0).payloadType()).isEqualTo(100);
        assertThat(sent.get(1).payload()).isEqualTo(VP8_DELTA);
        assertThat(sent.get(1).sequenceNumber()).isEqualTo((sent.get(0).sequenceNumber() + 1) & 0xFFFF);
        assertThat((sent.get(1).timestamp() - sent.get(0).timestamp()) & 0xFFFFFFFFL).isEqualTo(3000);
    }

    @Test
    void aKeyframeFirstIsForwardedAtOnce() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream source = videoSource(0x3333, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));

        forward(out, source, vp8(0x3333, 10, 9000, VP8_KEY));

        assertThat(leg.count()).isEqualTo(1);
        assertThat(out.packetsDropped()).isZero();
    }

    @Test
    void paddingOnlyPacketsAreNotForwarded() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));

        forward(out, source, new RtpPacketBuilder().payloadType(111).ssrc(0x1111).sequenceNumber(1).padding(200));

        assertThat(leg.count()).isZero();
        assertThat(out.packetsSent()).isZero();
    }

    @Test
    void aPayloadTypeTheReceiverDidNotNegotiateIsDroppedAndCounted() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream source = new InboundStream(0x3333, MediaKind.VIDEO, slot,
                new CodecTable(Map.of(96, Codec.VP8, 98, Codec.VP9)), ExtensionIds.NONE, 90_000,
                new KeyframeRequester(0x3333, keyframeRequests::add, now::get, INTERVAL), List.of());
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));
        forward(out, source, vp8(0x3333, 1, 0, VP8_KEY));

        forward(out, source, vp8(0x3333, 2, 0, VP8_KEY).payloadType(98)); // VP9: receiver lacks it
        forward(out, source, vp8(0x3333, 3, 0, VP8_KEY).payloadType(45)); // not even the publisher's

        assertThat(leg.count()).isEqualTo(1);
        assertThat(out.packetsDropped()).isEqualTo(2);
    }

    @Test
    void nothingIsSentWhileTheReceiversKeysAreMissing() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        leg.keysReady(false);

        forward(out, source, opus(0x1111, 1, 0));

        assertThat(leg.count()).isZero();
        assertThat(out.packetsSent()).isZero();
    }

    @Test
    void rtpTimestampAtFollowsThePublishersSenderReport() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        assertThat(out.rtpTimestampAt(now.get())).isEqualTo(-1);

        forward(out, source, opus(0x1111, 1, 100_000));
        long offset = (leg.last().timestamp() - 100_000) & 0xFFFFFFFFL; // our line = theirs + offset

        // Without a sender report: extrapolated from our last packet.
        assertThat(out.rtpTimestampAt(now.get() + 20_000_000L))
                .isEqualTo((leg.last().timestamp() + 960) & 0xFFFFFFFFL);

        long arrival = now.get() + 1_000_000_000L;
        source.onSenderReport(200_000, 0x12345678L, arrival);
        assertThat(out.rtpTimestampAt(arrival)).isEqualTo((200_000 + offset) & 0xFFFFFFFFL);
        assertThat(out.rtpTimestampAt(arrival + 500_000_000L)).isEqualTo((200_000 + offset + 24_000) & 0xFFFFFFFFL);
    }

    @Test
    void requestKeyframeAsksTheCurrentSource() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));
        out.requestKeyframe(); // no source: nothing to ask
        assertThat(keyframeRequests).isEmpty();

        InboundStream source = videoSource(0x3333, slot);
        slot.attachSource(source); // no receivers attached to the slot yet: no request
        assertThat(keyframeRequests).isEmpty();
        out.requestKeyframe();
        assertThat(keyframeRequests).containsExactly(0x3333L);
    }

    @Test
    void afterASourceChangeTheKeyframeContinuesTheSequenceWithoutAGap() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream a = videoSource(0x3333, slot);
        InboundStream b = videoSource(0x4444, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));
        forward(out, a, vp8(0x3333, 10, 9000, VP8_KEY));
        forward(out, a, vp8(0x3333, 11, 12000, VP8_DELTA));
        Sent lastOfA = leg.last();

        now.addAndGet(100_000_000L);
        slot.attachSource(b);
        forward(out, b, vp8(0x4444, 500, 1_000_000, VP8_DELTA)); // dropped: waiting for a keyframe
        forward(out, b, vp8(0x4444, 501, 1_003_000, VP8_DELTA)); // dropped
        forward(out, b, vp8(0x4444, 502, 1_006_000, VP8_KEY));
        forward(out, b, vp8(0x4444, 503, 1_009_000, VP8_DELTA));

        List<Sent> sent = leg.sent();
        assertThat(sent).hasSize(4);
        // The receiver never saw 500 and 501: numbering them would leave a hole it NACKs forever.
        assertThat(sent.get(2).sequenceNumber()).isEqualTo((lastOfA.sequenceNumber() + 1) & 0xFFFF);
        assertThat(sent.get(3).sequenceNumber()).isEqualTo((lastOfA.sequenceNumber() + 2) & 0xFFFF);
        // Timestamps keep the source's spacing from the rebase point (100 ms at 90 kHz, then 2 frames).
        assertThat((sent.get(2).timestamp() - lastOfA.timestamp()) & 0xFFFFFFFFL).isEqualTo(9000 + 6000);
        assertThat((sent.get(3).timestamp() - sent.get(2).timestamp()) & 0xFFFFFFFFL).isEqualTo(3000);
    }

    @Test
    void aReorderedPacketOlderThanTheNewSourcesFirstIsDroppedRatherThanReusingOurNumbers() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 100, 50_000));
        forward(out, a, opus(0x1111, 101, 50_960));
        slot.attachSource(b);
        forward(out, b, opus(0x2222, 4000, 96_000));
        forward(out, b, opus(0x2222, 3999, 95_040)); // overtaken on the way: would be numbered as A's last

        List<Sent> sent = leg.sent();
        assertThat(leg.failures()).isEmpty();
        assertThat(sent).hasSize(3);
        assertThat(out.packetsDropped()).isEqualTo(1);
    }

    @Test
    void aLongRunningLineIsNotMistakenForAnOldOne() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        // Hops the receiver's SRTP index estimate accepts, going three times around the 16-bit space.
        for (int step = 0; step <= 12; step++) {
            int seq = (step * 0x4000 + 5) & 0xFFFF;
            forward(out, a, opus(0x1111, seq, 960L * step));
            forward(out, a, opus(0x1111, (seq + 1) & 0xFFFF, 960L * step + 960));
        }
        assertThat(leg.failures()).isEmpty();
        assertThat(leg.count()).isEqualTo(26);
        assertThat(out.packetsDropped()).isZero();
    }

    @Test
    void forwardedExtensionsAreRenumberedInsideTheEncryptedPacket() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        String level = ExtensionType.AUDIO_LEVEL.uri();
        String mid = "urn:ietf:params:rtp-hdrext:sdes:mid";
        InboundStream source = new InboundStream(0x1111, MediaKind.AUDIO, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.fromUris(Map.of(level, 1, mid, 3)), 48_000,
                new KeyframeRequester(0x1111, keyframeRequests::add, now::get, INTERVAL), List.of());
        slot.attachSource(source);
        OutboundStream out = new OutboundStream(leg, RECEIVER_SSRC, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.fromUris(Map.of(level, 20, mid, 1)), now::get);
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }

        forward(out, source, opus(0x1111, 5, 960).oneByteExtension(3, 0x30).oneByteExtension(1, 0x85)
                .payload(payload));

        assertThat(leg.failures()).isEmpty();
        Sent sent = leg.last();
        // Two-byte form (receiver id 20 > 14): (20, 1, 0x85) plus a padding byte; mid is not copied.
        assertThat(io.netty.buffer.ByteBufUtil.hexDump(sent.header(), 12, sent.header().length - 12))
                .isEqualTo("10000001" + "140185" + "00");
        assertThat(sent.header()[0]).isEqualTo((byte) 0x90);
        assertThat(sent.payload()).isEqualTo(payload);
    }

    private List<Integer> sequencesOf(List<Sent> sent) {
        return sent.stream().map(Sent::sequenceNumber).toList();
    }

    private static List<Integer> consecutiveFrom(int first, int count) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add((first + i) & 0xFFFF);
        }
        return list;
    }

    private static RtpPacketBuilder paddingOnly(long ssrc, int seq) {
        return new RtpPacketBuilder().payloadType(111).ssrc(ssrc).sequenceNumber(seq).timestamp(0).padding(224);
    }

    @Test
    void aSkippedPaddingPacketLeavesNoHoleInOurNumbering() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));

        forward(out, source, opus(0x1111, 10, 0));
        forward(out, source, paddingOnly(0x1111, 11));
        forward(out, source, paddingOnly(0x1111, 12));
        forward(out, source, opus(0x1111, 13, 960));
        forward(out, source, opus(0x1111, 15, 2880)); // 14 lost on the way: that hole stays
        forward(out, source, paddingOnly(0x1111, 16));
        forward(out, source, opus(0x1111, 17, 3840));

        List<Integer> seqs = sequencesOf(leg.sent());
        int first = seqs.get(0);
        assertThat(leg.failures()).isEmpty();
        assertThat(seqs).containsExactly(first, (first + 1) & 0xFFFF, (first + 3) & 0xFFFF, (first + 4) & 0xFFFF);
    }

    @Test
    void aPayloadTypeDropLeavesNoHoleEither() {
        MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
        InboundStream source = new InboundStream(0x3333, MediaKind.VIDEO, slot,
                new CodecTable(Map.of(96, Codec.VP8, 98, Codec.VP9)), ExtensionIds.NONE, 90_000,
                new KeyframeRequester(0x3333, keyframeRequests::add, now::get, INTERVAL), List.of());
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(96, Codec.VP8));
        forward(out, source, vp8(0x3333, 1, 0, VP8_KEY));
        forward(out, source, vp8(0x3333, 2, 0, VP8_KEY).payloadType(98));
        forward(out, source, vp8(0x3333, 3, 3000, VP8_DELTA));

        List<Integer> seqs = sequencesOf(leg.sent());
        assertThat(seqs).isEqualTo(consecutiveFrom(seqs.get(0), 2));
    }

    @Test
    void aPacketOvertakenByASkippedOneKeepsItsOwnNumber() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));

        forward(out, source, opus(0x1111, 10, 0));
        forward(out, source, paddingOnly(0x1111, 12));
        forward(out, source, opus(0x1111, 11, 960)); // arrives after the padding that followed it
        forward(out, source, opus(0x1111, 13, 1920));

        List<Integer> seqs = sequencesOf(leg.sent());
        assertThat(leg.failures()).isEmpty();
        assertThat(seqs).isEqualTo(consecutiveFrom(seqs.get(0), 3));
    }

    @Test
    void aPaddingPacketFirstAfterASourceChangeLeavesNoHole() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream a = audioSource(0x1111, slot);
        InboundStream b = audioSource(0x2222, slot);
        slot.attachSource(a);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        forward(out, a, opus(0x1111, 10, 0));
        slot.attachSource(b);
        forward(out, b, paddingOnly(0x2222, 700));
        forward(out, b, opus(0x2222, 701, 960));

        List<Integer> seqs = sequencesOf(leg.sent());
        assertThat(seqs).isEqualTo(consecutiveFrom(seqs.get(0), 2));
    }

    @Test
    void longRunsOfPaddingAndLongLinesKeepTheNumberingContinuous() {
        MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 1);
        InboundStream source = audioSource(0x1111, slot);
        slot.attachSource(source);
        OutboundStream out = receiver(slot, Map.of(111, Codec.OPUS));
        int seq = 100;
        int expectedSent = 0;
        for (int burst = 0; burst < 5; burst++) {
            forward(out, source, opus(0x1111, seq++ & 0xFFFF, 960L * seq));
            expectedSent++;
            for (int i = 0; i < 40; i++) { // more than the skip history holds
                forward(out, source, paddingOnly(0x1111, seq++ & 0xFFFF));
            }
        }
        forward(out, source, opus(0x1111, seq++ & 0xFFFF, 960L * seq));
        expectedSent++;
        List<Integer> seqs = sequencesOf(leg.sent());
        assertThat(seqs).isEqualTo(consecutiveFrom(seqs.get(0), expectedSent));

        // Then the line goes on for three trips round the 16-bit space, with a skip now and then:
        // old skips must not come to look like future ones.
        int last = seqs.get(seqs.size() - 1);
        for (int hop = 0; hop < 12; hop++) {
            seq = (seq + 0x4000) & 0xFFFF;
            forward(out, source, paddingOnly(0x1111, seq));
            seq = (seq + 1) & 0xFFFF;
            forward(out, source, opus(0x1111, seq, 960L * hop));
            seq = (seq + 1) & 0xFFFF;
            forward(out, source, opus(0x1111, seq, 960L * hop + 960));
            Sent before = leg.sent().get(leg.count() - 2);
            assertThat(leg.last().sequenceNumber()).isEqualTo((before.sequenceNumber() + 1) & 0xFFFF);
            assertThat(((before.sequenceNumber() - last) & 0xFFFF)).as("hop %d moves forward", hop)
                    .isBetween(1, 0x7FFF);
            last = leg.last().sequenceNumber();
        }
        assertThat(leg.failures()).isEmpty();
    }
}
