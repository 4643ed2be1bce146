package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishers that come and go with lossy, reordered, padded and oddly typed streams: whatever
 * arrives, the receiver's line never repeats a sequence number (its SRTP would refuse the packet)
 * and every packet it gets decrypts with the receiver's payload type.
 */
class OutboundStreamFuzzTest {

    private static final byte[] KEY = OutboundStreamTest.VP8_KEY;
    private static final byte[] DELTA = OutboundStreamTest.VP8_DELTA;

    @Test
    void switchingLossyReorderedSourcesNeverRepeatASequenceNumber() {
        SplittableRandom random = new SplittableRandom(42);
        AtomicLong now = new AtomicLong();
        for (int run = 0; run < 40; run++) {
            CollectingLeg leg = new CollectingLeg();
            MediaSlot slot = new MediaSlot(MediaKind.VIDEO, 1);
            OutboundStream out = new OutboundStream(leg, 0xABC, slot, new CodecTable(Map.of(100, Codec.VP8)),
                    ExtensionIds.NONE, now::get);
            List<InboundStream> sources = new ArrayList<>();
            int[] nextSeq = new int[3];
            long[] nextTs = new long[3];
            for (int i = 0; i < 3; i++) {
                sources.add(new InboundStream(0x100 + i, MediaKind.VIDEO, slot,
                        new CodecTable(Map.of(96, Codec.VP8, 98, Codec.VP9)), ExtensionIds.NONE, 90_000,
                        new KeyframeRequester(0x100 + i, ssrc -> { }, now::get, 1), List.of()));
                nextSeq[i] = random.nextInt(0x10000);
                nextTs[i] = random.nextLong(0x100000000L);
            }
            int current = 0;
            slot.attachSource(sources.get(0));
            RtpPacket view = new RtpPacket();
            List<int[]> pending = new ArrayList<>(); // [source, seq, kind] held back to arrive late
            for (int step = 0; step < 400; step++) {
                now.addAndGet(random.nextLong(1, 40_000_000L));
                if (random.nextInt(60) == 0) {
                    current = random.nextInt(3);
                    slot.attachSource(sources.get(current));
                }
                int s = random.nextInt(10) == 0 ? random.nextInt(3) : current; // sometimes a stale source
                int seq = nextSeq[s];
                nextSeq[s] = (seq + 1) & 0xFFFF;
                nextTs[s] = (nextTs[s] + 3000) & 0xFFFFFFFFL;
                int kind = random.nextInt(20); // 0: keyframe, 1: padding only, 2: VP9 (receiver lacks), else delta
                if (random.nextInt(15) == 0) {
                    continue; // lost
                }
                if (random.nextInt(12) == 0) {
                    pending.add(new int[] {s, seq, kind});
                    continue;
                }
                send(out, sources.get(s), view, s, seq, nextTs[s], kind);
                if (!pending.isEmpty() && random.nextBoolean()) {
                    int[] late = pending.remove(0);
                    send(out, sources.get(late[0]), view, late[0], late[1], nextTs[late[0]] - 6000, late[2]);
                }
            }
            List<Sent> sent = leg.sent();
            assertThat(leg.failures()).as("run %d", run).isEmpty();
            Set<Integer> seen = new HashSet<>();
            for (Sent p : sent) {
                assertThat(seen.add(p.sequenceNumber())).as("run %d: %s repeated", run, p.sequenceNumber()).isTrue();
                assertThat(p.payloadType()).isEqualTo(100);
            }
        }
    }

    private static void send(OutboundStream out, InboundStream from, RtpPacket view, int s, int seq, long ts,
                             int kind) {
        RtpPacketBuilder builder = new RtpPacketBuilder().payloadType(kind == 2 ? 98 : 96).ssrc(0x100 + s)
                .sequenceNumber(seq).timestamp(ts & 0xFFFFFFFFL);
        if (kind == 1) {
            builder.padding(100);
        } else {
            builder.payload(kind == 0 ? KEY : DELTA);
        }
        ByteBuf packet = builder.build();
        try {
            assertThat(view.wrap(packet)).isTrue();
            out.forward(packet, view, from, 0);
        } finally {
            packet.release();
        }
    }
}
