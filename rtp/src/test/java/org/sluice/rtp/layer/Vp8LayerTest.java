package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Vp8TemporalFilter} with {@link Vp8Rewriter} on hand-built L1T3 streams. */
class Vp8LayerTest {

    private static final int[] L1T3 = {0, 2, 1, 2};
    private static final int PACKETS_PER_FRAME = 3;

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf track(ByteBuf b) {
        buffers.add(b);
        return b;
    }

    /** One source packet: descriptor (X, I 15 or 7 bit, L, T) then payload bytes. */
    record Packet(ByteBuf buf, int offset, int length, long timestamp, int frame, int tid, boolean sync) {
    }

    /**
     * VP8 payload with picture id {@code pictureId} ({@code pidBits} wide), TL0PICIDX, TID and Y; the first
     * packet of a frame has S=1 and, on a key frame, P=0 in the payload header. Written after 12 bytes of
     * pretend RTP header so offsets are not 0.
     */
    ByteBuf vp8(int pictureId, int pidBits, int tl0, int tid, boolean sync, boolean start, boolean key, int seed) {
        ByteBuf b = track(Unpooled.buffer());
        b.writeZero(12);
        b.writeByte(0x80 | (start ? 0x10 : 0));
        b.writeByte(0xe0); // I L T
        if (pidBits == 15) {
            b.writeShort(0x8000 | pictureId & 0x7fff);
        } else {
            b.writeByte(pictureId & 0x7f);
        }
        b.writeByte(tl0 & 0xff);
        b.writeByte(tid << 6 | (sync ? 0x20 : 0));
        b.writeByte(start && key ? 0x00 : 0x01);
        for (int i = 0; i < 20; i++) {
            b.writeByte(seed * 7 + i);
        }
        return b;
    }

    /**
     * {@code frames} frames of an L1T3 stream from picture id {@code pid0} and TL0PICIDX {@code tl00}: TIDs
     * 0,2,1,2,...; TL0PICIDX increments on TID 0; frame 0 is a key frame; the TID 1 frames and every other
     * TL2 frame right after a TL0 frame have Y=1.
     */
    List<Packet> stream(int frames, int pid0, int pidBits, int tl00, long ts0) {
        List<Packet> packets = new ArrayList<>();
        int tl0 = tl00 - 1;
        for (int f = 0; f < frames; f++) {
            int tid = L1T3[f % 4];
            if (tid == 0) {
                tl0++;
            }
            boolean sync = tid == 1 || (f % 8 == 1);
            long ts = ts0 + 3000L * f;
            for (int p = 0; p < PACKETS_PER_FRAME; p++) {
                ByteBuf b = vp8(pid0 + f, pidBits, tl0, tid, sync, p == 0, f == 0, f * 10 + p);
                packets.add(new Packet(b, 12, b.writerIndex() - 12, ts, f, tid, sync));
            }
        }
        return packets;
    }

    /** What a receiver got for one forwarded packet. */
    record Out(int frame, int tid, int pictureId, int pictureIdBits, int tl0, boolean sync, int payloadByte) {
    }

    /** Runs packets through filter and rewriter as the egress does, parsing what it would send. */
    List<Out> run(List<Packet> packets, Vp8TemporalFilter filter, Vp8Rewriter rewriter, Map<Integer, String> decisions) {
        List<Out> sent = new ArrayList<>();
        for (Packet p : packets) {
            byte[] before = bytes(p.buf());
            int decision = filter.decide(p.buf(), p.offset(), p.length(), p.timestamp());
            assertThat(LayerDecision.isValid(decision)).isTrue();
            decisions.merge(p.frame(), LayerDecision.isForward(decision) ? "F" : "D", String::concat);
            if (LayerDecision.isForward(decision)) {
                sent.add(rewriteAndParse(rewriter, p));
            } else {
                rewriter.dropped(p.buf(), p.offset(), p.length());
            }
            assertThat(bytes(p.buf())).as("the source buffer is never modified").isEqualTo(before);
        }
        return sent;
    }

    Out rewriteAndParse(Vp8Rewriter rewriter, Packet p) {
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(12);
        int consumed = rewriter.rewrite(p.buf(), p.offset(), p.length(), out);
        assertThat(consumed).isPositive();
        assertThat(out.writerIndex() - 12).isLessThanOrEqualTo(Vp8Rewriter.MAX_DESCRIPTOR_LENGTH);
        out.writeBytes(p.buf(), p.offset() + consumed, p.length() - consumed);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        assertThat(d.wrap(out, 12, out.writerIndex() - 12)).isTrue();
        assertThat(d.tid()).isEqualTo(p.tid());
        return new Out(p.frame(), d.tid(), d.pictureId(), d.pictureIdBits(), d.tl0PicIdx(), d.layerSync(),
                out.getUnsignedByte(12 + d.descriptorLength()));
    }

    static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.writerIndex()];
        b.getBytes(0, a);
        return a;
    }

    /** Per forwarded frame, checks consecutive picture ids and TL0PICIDX; returns the frames' TIDs. */
    static List<Integer> checkContinuity(List<Out> sent, int firstPictureId, int firstTl0) {
        List<Integer> tids = new ArrayList<>();
        int frame = -1;
        int pid = firstPictureId - 1;
        int tl0 = firstTl0 - 1;
        for (Out o : sent) {
            assertThat(o.pictureIdBits()).isEqualTo(15);
            if (o.frame() != frame) {
                frame = o.frame();
                pid = (pid + 1) & 0x7fff;
                if (o.tid() == 0) {
                    tl0 = (tl0 + 1) & 0xff;
                }
                tids.add(o.tid());
            }
            assertThat(o.pictureId()).as("picture id of frame %d", o.frame()).isEqualTo(pid);
            assertThat(o.tl0()).as("TL0PICIDX of frame %d", o.frame()).isEqualTo(tl0);
        }
        return tids;
    }

    static void checkWholeFrames(Map<Integer, String> decisions) {
        decisions.forEach((frame, d) -> assertThat(d).as("frame %d", frame).matches("F+|D+"));
    }

    @Test
    void targetOneForwardsTl0AndTl1WithConsecutiveIds() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        Map<Integer, String> decisions = new HashMap<>();
        List<Out> sent = run(stream(40, 32700, 15, 250, 0xffff_0000L), filter, rewriter, decisions);
        checkWholeFrames(decisions);
        List<Integer> tids = checkContinuity(sent, 32700, 250); // wraps both picture id and TL0PICIDX
        assertThat(tids).hasSize(20).containsOnly(0, 1);
        assertThat(tids.subList(0, 4)).containsExactly(0, 1, 0, 1);
        assertThat(sent).hasSize(20 * PACKETS_PER_FRAME);
        assertThat(rewriter.lastPictureId()).isEqualTo((32700 + 19) & 0x7fff);
    }

    @Test
    void targetZeroForwardsOnlyTl0() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(0);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        Map<Integer, String> decisions = new HashMap<>();
        List<Out> sent = run(stream(41, 5, 15, 0, 1000), filter, rewriter, decisions);
        checkWholeFrames(decisions);
        assertThat(checkContinuity(sent, 5, 0)).hasSize(11).containsOnly(0);
    }

    @Test
    void sevenBitSourceIdsBecomeFifteenBitAndContinueThroughTheirWrap() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        Map<Integer, String> decisions = new HashMap<>();
        List<Out> sent = run(stream(300, 120, 7, 0, 0), filter, rewriter, decisions);
        checkWholeFrames(decisions);
        assertThat(checkContinuity(sent, 120, 0)).hasSize(150);
        assertThat(sent.get(sent.size() - 1).pictureId()).isEqualTo(120 + 149);
    }

    @Test
    void upSwitchWaitsForALayerSyncFrameAndDownSwitchIsImmediate() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(0);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        List<Packet> packets = stream(48, 0, 15, 0, 0);
        Map<Integer, String> decisions = new HashMap<>();
        List<Out> sent = new ArrayList<>();
        for (Packet p : packets) {
            if (p.frame() == 11 && filter.target() == 0) {
                filter.setTarget(2);   // before frame 11 (TL2 without Y)
            }
            if (p.frame() == 30 && filter.target() == 2) {
                filter.setTarget(0);
            }
            sent.addAll(run(List.of(p), filter, rewriter, decisions));
        }
        checkWholeFrames(decisions);
        List<Integer> tids = checkContinuity(sent, 0, 0);
        // Frames 0..10: TL0 only. Frames 11 and 13 are TL2 without Y: dropped. Frame 14 is TL1 with Y: current
        // 1; frame 15 (TL2 without Y) is dropped; frame 17 is TL2 with Y (17 % 8 == 1): current 2. The target
        // drops to 0 before frame 30 (TL1): dropped at once.
        StringBuilder pattern = new StringBuilder();
        for (int f = 0; f < 48; f++) {
            pattern.append(decisions.get(f).charAt(0));
        }
        assertThat(pattern.toString()).isEqualTo(
                "FDDD" + "FDDD" + "FDDD" + "FDFD" + "FFFF" + "FFFF" + "FFFF" + "FFDD" + "FDDD" + "FDDD" + "FDDD"
                        + "FDDD");
        for (Out o : sent) {
            if (o.tid() == 2 && o.frame() < 30) {
                assertThat(o.frame()).isGreaterThanOrEqualTo(17);
            }
        }
        assertThat(tids).doesNotContainNull();
    }

    @Test
    void aSimulcastRebaseContinuesPictureIdAndTl0PicIdx() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        Map<Integer, String> decisions = new HashMap<>();
        List<Out> sent = new ArrayList<>(run(stream(10, 1000, 15, 17, 0), filter, rewriter, decisions));
        int lastPid = rewriter.lastPictureId();
        int lastTl0 = rewriter.lastTl0PicIdx();
        assertThat(lastPid).isEqualTo(1004);
        assertThat(lastTl0).isEqualTo(19);
        // Another encoding with unrelated ids, starting at its key frame.
        rewriter.rebase();
        filter.reset();
        Map<Integer, String> decisions2 = new HashMap<>();
        sent.addAll(run(stream(10, 20000, 15, 200, 99999), filter, rewriter, decisions2));
        checkWholeFrames(decisions2);
        assertThat(checkContinuity(sent.subList(5 * PACKETS_PER_FRAME, sent.size()), 1005, 20)).hasSize(5);
        // And into a 7-bit encoding.
        rewriter.rebase();
        filter.reset();
        List<Out> third = run(stream(8, 90, 7, 3, 5), filter, rewriter, new HashMap<>());
        checkContinuity(third, 1010, 23);
    }

    @Test
    void latePacketsKeepTheirFramesIdsAndLatePacketsOfDroppedFramesAreRefused() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Vp8Rewriter rewriter = new Vp8Rewriter();
        List<Packet> packets = stream(12, 400, 15, 9, 0);
        List<Out> sent = run(packets, filter, rewriter, new HashMap<>());
        // A retransmission of frame 2 (TL1, forwarded as the second frame): same ids as then.
        Packet retransmitted = packets.get(2 * PACKETS_PER_FRAME + 1);
        Out again = rewriteAndParse(rewriter, retransmitted);
        Out original = sent.stream().filter(o -> o.frame() == 2).findFirst().orElseThrow();
        assertThat(again.pictureId()).isEqualTo(original.pictureId()).isEqualTo(401);
        assertThat(again.tl0()).isEqualTo(original.tl0());
        // The filter still drops a late packet of a dropped frame, and the rewriter would refuse it.
        Packet lateDropped = packets.get(3 * PACKETS_PER_FRAME + 2);
        assertThat(filter.decide(lateDropped.buf(), 12, lateDropped.length(), lateDropped.timestamp()))
                .isEqualTo(LayerDecision.DROP);
        ByteBuf out = track(Unpooled.buffer());
        assertThat(rewriter.rewrite(lateDropped.buf(), 12, lateDropped.length(), out)).isEqualTo(Vp8Rewriter.REFUSED);
        assertThat(out.writerIndex()).isZero();
        // A frame lost before the SFU stays a hole: the receiver must see the loss.
        List<Packet> next = stream(16, 400, 15, 9, 0).subList(12 * PACKETS_PER_FRAME, 16 * PACKETS_PER_FRAME);
        List<Out> after = run(next.subList(PACKETS_PER_FRAME, next.size()), filter, rewriter, new HashMap<>());
        // Frame 12 (TL0) lost, 13 (TL2) dropped, 14 (TL1) forwarded: picture id jumps by 2, TL0PICIDX by... 1
        // (frame 14 carries the lost TL0 frame's index).
        assertThat(after.get(0).frame()).isEqualTo(14);
        assertThat(after.get(0).pictureId()).isEqualTo(sent.get(sent.size() - 1).pictureId() + 2);
        assertThat(after.get(0).tl0()).isEqualTo(sent.get(sent.size() - 1).tl0() + 1);
    }

    @Test
    void withoutTimestampsFramesAreToldApartByPictureId() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Map<Integer, String> decisions = new HashMap<>();
        for (Packet p : stream(20, 7, 15, 0, 0)) {
            int d = filter.decide(p.buf(), p.offset(), p.length());
            decisions.merge(p.frame(), LayerDecision.isForward(d) ? "F" : "D", String::concat);
            assertThat(LayerDecision.isForward(d)).isEqualTo(p.tid() <= 1);
        }
        checkWholeFrames(decisions);
    }

    @Test
    void waitsForAKeyFrameAndDropsMalformedDescriptors() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        List<Packet> packets = stream(8, 0, 15, 0, 0);
        Packet notKey = packets.get(4 * PACKETS_PER_FRAME);
        assertThat(filter.decide(notKey.buf(), 12, notKey.length(), notKey.timestamp())).isEqualTo(LayerDecision.DROP);
        assertThat(filter.current()).isEqualTo(-1);
        ByteBuf truncated = track(Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, (byte) 0x80}));
        assertThat(filter.decide(truncated, 0, 2, 1)).isEqualTo(LayerDecision.DROP);
        assertThat(new Vp8Rewriter().rewrite(truncated, 0, 2, track(Unpooled.buffer()))).isEqualTo(Vp8Rewriter.UNPARSEABLE);
        // A packet older than the last frame seen never switches: the key frame must be newer.
        Packet old = packets.get(0);
        assertThat(filter.decide(old.buf(), 12, old.length(), old.timestamp())).isEqualTo(LayerDecision.DROP);
        Packet key = stream(1, 0, 15, 0, 90000).get(0);
        assertThat(filter.decide(key.buf(), 12, key.length(), key.timestamp())).isEqualTo(LayerDecision.FORWARD);
        assertThat(filter.current()).isEqualTo(Vp8TemporalFilter.MAX_TEMPORAL_ID);
    }

    @Test
    void aDescriptorWithoutExtensionIsCopied() {
        ByteBuf src = track(Unpooled.wrappedBuffer(new byte[] {0x10, 0x00, 1, 2, 3}));
        ByteBuf out = track(Unpooled.buffer());
        assertThat(new Vp8Rewriter().rewrite(src, 0, 5, out)).isEqualTo(1);
        assertThat(bytes(out)).containsExactly(0x10);
    }
}
