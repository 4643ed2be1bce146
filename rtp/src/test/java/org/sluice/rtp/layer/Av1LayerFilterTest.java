package org.sluice.rtp.layer;

import org.sluice.rtp.codec.av1.BitWriter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1DescriptorResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Av1LayerFilter} on a hand-built L1T3 dependency structure. */
class Av1LayerFilterTest {

    /** Template ids (offset 10) of frames 4k, 4k+1, 4k+2, 4k+3: S0T0, S0T2, S0T1, S0T2. */
    private static final int[] TEMPLATE = {11, 13, 12, 14};
    private static final int[] TID = {0, 2, 1, 2};

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    /**
     * An L1T3 key frame descriptor (libwebrtc's layout): template_id_offset 10, decode targets DT0 (T0),
     * DT1 (T0-T1), DT2 (T0-T2); templates S0T0 key "SSS", S0T0 "SSS", S0T1 "-DS", S0T2 "--D", S0T2 "--D".
     */
    static byte[] keyFrame(int frameNumber, boolean start, boolean end) {
        BitWriter w = new BitWriter();
        w.flag(start).flag(end).f(10, 6).f(frameNumber, 16);
        w.flag(true).flag(false).flag(false).flag(false).flag(false);
        w.f(10, 6).f(2, 5);
        for (int idc : new int[] {0, 1, 1, 0, 3}) {
            w.f(idc, 2);
        }
        int[][] dtis = {{2, 2, 2}, {2, 2, 2}, {0, 1, 2}, {0, 0, 1}, {0, 0, 1}};
        for (int[] row : dtis) {
            for (int dti : row) {
                w.f(dti, 2);
            }
        }
        int[][] fdiffs = {{}, {4}, {2}, {1}, {1}};
        for (int[] row : fdiffs) {
            for (int fdiff : row) {
                w.flag(true).f(fdiff - 1, 4);
            }
            w.flag(false);
        }
        w.ns(1, 4);
        for (int dt = 0; dt < 3; dt++) {
            w.ns(0, 1);
        }
        for (int chain : new int[] {0, 4, 2, 1, 3}) {
            w.f(chain, 4);
        }
        w.flag(false);
        return w.toBytes();
    }

    static byte[] mandatory(boolean start, boolean end, int templateId, int frameNumber) {
        return new BitWriter().flag(start).flag(end).f(templateId, 6).f(frameNumber, 16).toBytes();
    }

    record Packet(byte[] descriptor, int frame, int tid, boolean end) {
    }

    /** {@code frames} frames of two packets each; frame 0 is the key frame carrying the structure. */
    static List<Packet> stream(int frames, int firstFrameNumber) {
        List<Packet> packets = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            int number = (firstFrameNumber + f) & 0xffff;
            for (int k = 0; k < 2; k++) {
                boolean start = k == 0;
                boolean end = k == 1;
                byte[] dd = f == 0 && start ? keyFrame(number, true, false)
                        : mandatory(start, end, f == 0 ? 10 : TEMPLATE[f % 4], number);
                packets.add(new Packet(dd, f, f == 0 ? 0 : TID[f % 4], end));
            }
        }
        return packets;
    }

    private final Av1DependencyDescriptor view = new Av1DependencyDescriptor();

    private int decide(Av1LayerFilter filter, Packet p) {
        ByteBuf b = Unpooled.wrappedBuffer(p.descriptor());
        buffers.add(b);
        assertThat(view.parse(b, 0, p.descriptor().length)).as(String.valueOf(view.invalidReason()))
                .isEqualTo(Av1DescriptorResult.VALID);
        int decision = filter.decide(view, p.end());
        assertThat(LayerDecision.isValid(decision)).isTrue();
        return decision;
    }

    /** Frame → its packets' decisions ("F"/"M" forwarded without/with marker, "D" dropped). */
    private Map<Integer, String> run(Av1LayerFilter filter, List<Packet> packets, int switchAt, int switchTo) {
        Map<Integer, String> frames = new TreeMap<>();
        for (Packet p : packets) {
            if (p.frame() == switchAt && !p.end()) {
                filter.setTarget(switchTo);
            }
            int d = decide(filter, p);
            frames.merge(p.frame(), !LayerDecision.isForward(d) ? "D" : LayerDecision.isMarker(d) ? "M" : "F",
                    String::concat);
        }
        return frames;
    }

    @Test
    void targetOneForwardsTl0AndTl1WholeFramesWithTheMarkerOnTheirEnd() {
        Av1LayerFilter filter = new Av1LayerFilter();
        filter.setTarget(1);
        List<Packet> packets = stream(24, 65530);
        Map<Integer, String> frames = run(filter, packets, -1, 0);
        frames.forEach((f, d) -> assertThat(d).as("frame %d", f).isEqualTo(TID[f % 4] <= 1 ? "FM" : "DD"));
        assertThat(filter.current()).isEqualTo(1);
    }

    @Test
    void targetZeroForwardsOnlyTl0() {
        Av1LayerFilter filter = new Av1LayerFilter();
        filter.setTarget(0);
        Map<Integer, String> frames = run(filter, stream(16, 0), -1, 0);
        frames.forEach((f, d) -> assertThat(d).as("frame %d", f).isEqualTo(f % 4 == 0 ? "FM" : "DD"));
    }

    @Test
    void switchesOnlyAtASwitchIndication() {
        Av1LayerFilter filter = new Av1LayerFilter();
        filter.setTarget(0);
        List<Packet> packets = stream(24, 100);
        Map<Integer, String> frames = new TreeMap<>(run(filter, packets.subList(0, 26), 5, 2));
        // Up to DT2 at frame 6 (S0T1, "S" for DT2); frame 5 (S0T2, "D" for DT2) is not a switch point.
        assertThat(frames.get(4)).isEqualTo("FM");
        assertThat(frames.get(5)).isEqualTo("DD");
        for (int f = 6; f < 13; f++) {
            assertThat(frames.get(f)).as("frame %d", f).isEqualTo("FM");
        }
        // Down to DT0 from frame 13: DT0 has a switch indication only on S0T0 frames, so frames 13..15 still
        // go and DT0 starts at frame 16.
        frames.putAll(run(filter, packets.subList(26, 48), 13, 0));
        for (int f = 13; f < 24; f++) {
            assertThat(frames.get(f)).as("frame %d", f).isEqualTo(f <= 16 || f % 4 == 0 ? "FM" : "DD");
        }
        assertThat(filter.current()).isZero();
    }

    @Test
    void dropsUntilAStructureAndSwitchPointAndDropsBadDescriptors() {
        Av1LayerFilter filter = new Av1LayerFilter();
        assertThat(filter.decide(null, true)).isEqualTo(LayerDecision.DROP);
        Av1DependencyDescriptor fresh = new Av1DependencyDescriptor();
        ByteBuf b = Unpooled.wrappedBuffer(mandatory(true, true, 11, 5));
        buffers.add(b);
        assertThat(fresh.parse(b, 0, 3)).isEqualTo(Av1DescriptorResult.NO_STRUCTURE);
        assertThat(filter.decide(fresh, true)).isEqualTo(LayerDecision.DROP);
        // A target beyond the structure's decode targets means the highest.
        filter.setTarget(30);
        Map<Integer, String> frames = run(filter, stream(8, 7), -1, 0);
        frames.forEach((f, d) -> assertThat(d).as("frame %d", f).isEqualTo("FM"));
        assertThat(filter.current()).isEqualTo(2);
    }
}
