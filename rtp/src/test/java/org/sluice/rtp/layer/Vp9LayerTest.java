package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Vp9LayerFilter} with {@link Vp9Rewriter} on hand-built L3T3 streams, flexible and non-flexible. */
class Vp9LayerTest {

    private static final int[] T3 = {0, 2, 1, 2};
    private static final int[] FLEXIBLE_REFERENCE = {4, 1, 2, 1};
    private static final int PACKETS_PER_LAYER = 2;

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf track(ByteBuf b) {
        buffers.add(b);
        return b;
    }

    record Packet(ByteBuf buf, int length, int picture, int sid, int tid, boolean begin, boolean end,
                  boolean marker, int sourcePictureId) {
    }

    /**
     * An L3T3 stream: {@code pictures} pictures with TIDs 0,2,1,2,..., three spatial layers of two packets
     * each (B on the first, E on the last, the marker on S2's last). Picture 0 is a key picture (P=0, upper
     * layers D=1 only) carrying the scalability structure in non-flexible mode; the pictures in
     * {@code switchPoints} have P=0, D=1 on S1 and S2. U is set on the TL1 and TL2 pictures after a TL0.
     */
    List<Packet> stream(int pictures, boolean flexible, int pid0, int tl00, Set<Integer> switchPoints) {
        List<Packet> packets = new ArrayList<>();
        int tl0 = tl00 - 1;
        for (int f = 0; f < pictures; f++) {
            int tid = T3[f % 4];
            if (tid == 0) {
                tl0++;
            }
            boolean switching = f % 4 == 1 || f % 4 == 2;
            for (int sid = 0; sid < 3; sid++) {
                boolean p = f > 0 && !(sid > 0 && switchPoints.contains(f));
                for (int k = 0; k < PACKETS_PER_LAYER; k++) {
                    boolean b = k == 0;
                    boolean e = k == PACKETS_PER_LAYER - 1;
                    ByteBuf buf = track(Unpooled.buffer());
                    buf.writeZero(12);
                    boolean ss = !flexible && f == 0 && sid == 0 && b;
                    buf.writeByte(0x80 | (p ? 0x40 : 0) | 0x20 | (flexible ? 0x10 : 0) | (b ? 0x08 : 0)
                            | (e ? 0x04 : 0) | (ss ? 0x02 : 0));
                    buf.writeShort(0x8000 | (pid0 + f) & 0x7fff);
                    buf.writeByte(tid << 5 | (switching ? 0x10 : 0) | sid << 1 | (sid > 0 ? 1 : 0));
                    if (!flexible) {
                        buf.writeByte(tl0 & 0xff);
                    } else if (p) {
                        buf.writeByte(FLEXIBLE_REFERENCE[f % 4] << 1);
                    }
                    if (ss) {
                        buf.writeByte(2 << 5 | 0x10 | 0x08);         // N_S = 3, Y, G
                        for (int s = 0; s < 3; s++) {
                            buf.writeShort(320 << s).writeShort(180 << s);
                        }
                        buf.writeByte(4);                              // N_G
                        for (int g = 0; g < 4; g++) {
                            buf.writeByte(T3[g] << 5 | (g == 1 || g == 2 ? 0x10 : 0) | 1 << 2);
                            buf.writeByte(FLEXIBLE_REFERENCE[g]);
                        }
                    }
                    for (int i = 0; i < 30; i++) {
                        buf.writeByte(f + sid + i);
                    }
                    packets.add(new Packet(buf, buf.writerIndex() - 12, f, sid, tid, b, e, sid == 2 && e,
                            (pid0 + f) & 0x7fff));
                }
            }
        }
        return packets;
    }

    record Out(Packet source, int decision, int pictureId, int tl0, int pDiff, byte[] tail) {
        boolean marker() {
            return LayerDecision.isMarker(decision);
        }
    }

    /** Filters, rewrites forwarded packets (parsing what the receiver gets), reports dropped ones. */
    List<Out> run(List<Packet> packets, Vp9LayerFilter filter, Vp9Rewriter rewriter, Map<String, String> layers) {
        List<Out> sent = new ArrayList<>();
        for (Packet p : packets) {
            byte[] before = Vp8LayerTest.bytes(p.buf());
            int decision = filter.decide(p.buf(), 12, p.length(), p.marker());
            assertThat(LayerDecision.isValid(decision)).isTrue();
            layers.merge(p.picture() + "/" + p.sid(), LayerDecision.isForward(decision) ? "F" : "D", String::concat);
            if (!LayerDecision.isForward(decision)) {
                rewriter.dropped(p.buf(), 12, p.length());
                continue;
            }
            ByteBuf out = track(Unpooled.buffer());
            int consumed = rewriter.rewrite(p.buf(), 12, p.length(), out);
            assertThat(consumed).isPositive();
            out.writeBytes(p.buf(), 12 + consumed, p.length() - consumed);
            Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
            assertThat(d.wrap(out, 0, out.writerIndex())).isTrue();
            assertThat(d.spatialId()).isEqualTo(p.sid());
            assertThat(d.temporalId()).isEqualTo(p.tid());
            assertThat(d.pictureIdBits()).isEqualTo(15);
            byte[] tail = new byte[out.writerIndex() - d.descriptorLength()];
            out.getBytes(d.descriptorLength(), tail);
            sent.add(new Out(p, decision, d.pictureId(), d.tl0PicIdx(), d.pDiffCount() > 0 ? d.pDiff(0) : -1,
                    tail));
            assertThat(Vp8LayerTest.bytes(p.buf())).as("the source buffer is never modified").isEqualTo(before);
        }
        return sent;
    }

    static void checkWholeLayerFrames(Map<String, String> layers) {
        layers.forEach((layer, d) -> assertThat(d).as(layer).matches("F+|D+"));
    }

    /** Exactly one marker per forwarded picture, on the E packet of its highest forwarded layer. */
    static void checkMarkers(List<Out> sent, int expectedTopLayer) {
        Map<Integer, Integer> topLayer = new HashMap<>();
        for (Out o : sent) {
            topLayer.merge(o.source().picture(), o.source().sid(), Math::max);
        }
        for (Out o : sent) {
            boolean last = o.source().end() && o.source().sid() == topLayer.get(o.source().picture());
            assertThat(o.marker()).as("marker of picture %d S%d", o.source().picture(), o.source().sid())
                    .isEqualTo(last);
        }
        assertThat(topLayer.values()).containsOnly(expectedTopLayer);
    }

    @Test
    void flexibleL3T3FilteredToSpatialOneMarksTheEndOfS1AndDropsS2() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(1, 2);
        Map<String, String> layers = new HashMap<>();
        List<Out> sent = run(stream(24, true, 100, 0, Set.of()), filter, new Vp9Rewriter(), layers);
        checkWholeLayerFrames(layers);
        assertThat(sent).allMatch(o -> o.source().sid() <= 1);
        assertThat(sent).hasSize(24 * 2 * PACKETS_PER_LAYER);
        checkMarkers(sent, 1);
        // Nothing was dropped temporally: picture ids unchanged.
        assertThat(sent).allMatch(o -> o.pictureId() == o.source().sourcePictureId());
    }

    @Test
    void flexibleTemporalDropsCloseUpPictureIdsAndRewriteReferences() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(1, 1);
        Map<String, String> layers = new HashMap<>();
        List<Out> sent = run(stream(41, true, 32760, 0, Set.of()), filter, new Vp9Rewriter(), layers);
        checkWholeLayerFrames(layers);
        checkMarkers(sent, 1);
        Map<Integer, Integer> outIdOfSource = new HashMap<>();
        int expected = 32760 - 1;
        int picture = -1;
        for (Out o : sent) {
            assertThat(o.source().tid()).isLessThanOrEqualTo(1);
            if (o.source().picture() != picture) {
                picture = o.source().picture();
                expected = (expected + 1) & 0x7fff;
            }
            assertThat(o.pictureId()).as("picture %d", picture).isEqualTo(expected);
            outIdOfSource.put(o.source().sourcePictureId(), o.pictureId());
            if (o.pDiff() > 0) {
                int sourceReference = (o.source().sourcePictureId() - FLEXIBLE_REFERENCE[picture % 4]) & 0x7fff;
                assertThat((o.pictureId() - o.pDiff()) & 0x7fff).as("reference of picture %d", picture)
                        .isEqualTo(outIdOfSource.get(sourceReference));
            }
        }
        assertThat(outIdOfSource).hasSize(21);
        // TL0 pictures referenced 4 pictures back, now 2; TL1 pictures 2 back, now 1.
        assertThat(sent).filteredOn(o -> o.source().tid() == 0 && o.source().picture() > 0)
                .allMatch(o -> o.pDiff() == 2);
        assertThat(sent).filteredOn(o -> o.source().tid() == 1).allMatch(o -> o.pDiff() == 1);
    }

    @Test
    void nonFlexibleL3T3KeepsPictureIdSpacingAndTl0PicIdxContinuous() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(1, 1);
        Map<String, String> layers = new HashMap<>();
        List<Packet> packets = stream(40, false, 500, 254, Set.of());
        List<Out> sent = run(packets, filter, new Vp9Rewriter(), layers);
        checkWholeLayerFrames(layers);
        checkMarkers(sent, 1);
        assertThat(sent).allMatch(o -> o.source().sid() <= 1 && o.source().tid() <= 1);
        assertThat(sent).allMatch(o -> o.pictureId() == o.source().sourcePictureId());
        int tl0 = 253;
        for (Out o : sent) {
            if (o.source().tid() == 0 && o.source().sid() == 0 && o.source().begin()) {
                tl0 = (tl0 + 1) & 0xff;
            }
            assertThat(o.tl0()).isEqualTo(tl0);
        }
        // The scalability structure travels unchanged with the key picture's first packet.
        Out key = sent.get(0);
        ByteBuf src = packets.get(0).buf();
        Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
        assertThat(d.wrap(src, 12, packets.get(0).length())).isTrue();
        assertThat(d.spatialLayerCount()).isEqualTo(3);
        assertThat(key.tail()).hasSize(30);
    }

    @Test
    void nonFlexibleRebaseContinuesPictureIdAndTl0PicIdx() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(2, 2);
        Vp9Rewriter rewriter = new Vp9Rewriter();
        List<Out> first = run(stream(6, false, 10, 40, Set.of()), filter, rewriter, new HashMap<>());
        assertThat(rewriter.lastPictureId()).isEqualTo(15);
        assertThat(rewriter.lastTl0PicIdx()).isEqualTo(41);
        rewriter.rebase();
        filter.reset();
        List<Out> second = run(stream(6, false, 9000, 3, Set.of()), filter, rewriter, new HashMap<>());
        assertThat(first).hasSize(6 * 3 * PACKETS_PER_LAYER);
        assertThat(second.get(0).pictureId()).isEqualTo(16);
        assertThat(second.get(0).tl0()).isEqualTo(42);
        assertThat(second.get(second.size() - 1).pictureId()).isEqualTo(21);
    }

    @Test
    void spatialUpSwitchWaitsForANonInterPicturePredictedLayerFrameAndDownSwitchIsAtThePicture() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(0, 2);
        Map<String, String> layers = new HashMap<>();
        List<Out> sent = new ArrayList<>();
        for (Packet p : stream(20, true, 0, 0, Set.of(9))) {
            if (p.picture() == 5 && filter.targetSpatial() == 0) {
                filter.setTarget(2, 2);
            }
            if (p.picture() == 15 && p.sid() == 1 && filter.targetSpatial() == 2) {
                filter.setTarget(1, 2);  // in the middle of picture 15: S2 of picture 15 still goes
            }
            sent.addAll(run(List.of(p), filter, new Vp9Rewriter(), layers));
        }
        checkWholeLayerFrames(layers);
        for (int f = 0; f < 20; f++) {
            int top = f < 9 ? 0 : f <= 15 ? 2 : 1;
            for (int sid = 0; sid < 3; sid++) {
                assertThat(layers.get(f + "/" + sid)).as("picture %d S%d", f, sid)
                        .startsWith(sid <= top ? "F" : "D");
            }
        }
        // The switch is seen when S1 of picture 9 starts: S0 of that picture was already marked as the end.
        assertThat(sent).filteredOn(Out::marker).extracting(o -> o.source().picture() + "/" + o.source().sid())
                .contains("8/0", "9/0", "9/2", "15/2", "16/1").doesNotContain("8/1", "10/0", "16/2");
        assertThat(filter.currentSpatial()).isEqualTo(1);
    }

    @Test
    void temporalUpSwitchWaitsForASwitchingUpPoint() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        filter.setTarget(2, 0);
        Map<String, String> layers = new HashMap<>();
        List<Packet> packets = stream(16, false, 0, 0, Set.of());
        for (Packet p : packets) {
            if (p.picture() == 3 && filter.targetTemporal() == 0) {
                filter.setTarget(2, 2);  // picture 3 is TL2 without U: dropped; picture 5 (TL2, U) switches
            }
            run(List.of(p), filter, new Vp9Rewriter(), layers);
        }
        checkWholeLayerFrames(layers);
        StringBuilder pattern = new StringBuilder();
        for (int f = 0; f < 16; f++) {
            pattern.append(layers.get(f + "/0").charAt(0));
        }
        assertThat(pattern.toString()).isEqualTo("FDDD" + "FFFF" + "FFFF" + "FFFF");
    }

    @Test
    void waitsForAKeyPictureAndDropsMalformedDescriptors() {
        Vp9LayerFilter filter = new Vp9LayerFilter();
        List<Packet> packets = stream(4, true, 0, 0, Set.of());
        Packet later = packets.get(packets.size() - 1);
        assertThat(filter.decide(later.buf(), 12, later.length(), true)).isEqualTo(LayerDecision.DROP);
        ByteBuf truncated = track(Unpooled.wrappedBuffer(new byte[] {(byte) 0xa0, (byte) 0x80}));
        assertThat(filter.decide(truncated, 0, 2, true)).isEqualTo(LayerDecision.DROP);
        assertThat(new Vp9Rewriter().rewrite(truncated, 0, 2, track(Unpooled.buffer())))
                .isEqualTo(Vp9Rewriter.UNPARSEABLE);
        Packet key = stream(1, true, 100, 0, Set.of()).get(0);
        assertThat(filter.decide(key.buf(), 12, key.length(), false)).isEqualTo(LayerDecision.FORWARD);
        assertThat(filter.currentSpatial()).isEqualTo(Vp9LayerFilter.MAX_SPATIAL_ID);
    }
}
