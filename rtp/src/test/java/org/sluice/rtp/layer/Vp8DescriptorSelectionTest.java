package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;
import org.sluice.rtp.testing.ChromeVp8L1T3;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VP8 temporal layers selected by the dependency descriptor ({@link Av1LayerFilter} with layer limits) and the
 * VP8 payload descriptor rewritten by {@link Vp8Rewriter}, on Chrome's L1T3 capture: as captured (no picture
 * id, no TID), and with a picture id and TL0PICIDX added but still no TID, where only the dependency descriptor
 * tells which dropped frames were TL0 frames.
 */
class Vp8DescriptorSelectionTest {

    /** One forwarded frame's start: temporal id (from the descriptor), picture id and TL0PICIDX written. */
    record Out(int frameNumber, int temporalId, int pictureId, int tl0PicIdx, boolean keyframe) {
    }

    private final Av1DependencyDescriptor dd = new Av1DependencyDescriptor();
    private final Av1LayerFilter filter = new Av1LayerFilter();
    private final Vp8Rewriter rewriter = new Vp8Rewriter();
    private final Vp8PayloadDescriptor written = new Vp8PayloadDescriptor();
    private int dropped;

    /**
     * The capture's payload with a VP8 descriptor carrying picture id {@code 20000 + frame number} (15 bits) and
     * a TL0PICIDX counting the T0 frames, no TID; or the captured payload when {@code withIds} is false.
     */
    private static byte[] payload(ChromeVp8L1T3.Packet p, boolean withIds, int tl0) {
        if (!withIds) {
            return p.payload();
        }
        int frameNumber = ((p.dependencyDescriptor()[1] & 0xFF) << 8) | (p.dependencyDescriptor()[2] & 0xFF);
        byte[] src = p.payload();
        byte[] out = new byte[src.length + 4];
        out[0] = (byte) (0x80 | src[0]); // X
        out[1] = (byte) 0xC0; // I, L; no T
        int pictureId = (20000 + frameNumber) & 0x7FFF;
        out[2] = (byte) (0x80 | pictureId >>> 8);
        out[3] = (byte) pictureId;
        out[4] = (byte) tl0;
        System.arraycopy(src, 1, out, 5, src.length - 1);
        return out;
    }

    /** Runs the capture through the filter at {@code maxTemporal}; returns the starts of the forwarded frames. */
    private List<Out> run(int maxTemporal, boolean withIds, int switchAtFrame, int nextMaxTemporal) {
        filter.setLayerTarget(0, maxTemporal);
        List<Out> out = new ArrayList<>();
        int tl0 = 0;
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            ByteBuf ext = Unpooled.wrappedBuffer(p.dependencyDescriptor());
            assertThat(dd.wrap(ext, 0, ext.readableBytes())).isTrue();
            if (dd.frameNumber() == switchAtFrame) {
                filter.setLayerTarget(0, nextMaxTemporal);
            }
            if (dd.isStartOfFrame() && dd.temporalId() == 0) {
                tl0++;
            }
            ByteBuf src = Unpooled.wrappedBuffer(payload(p, withIds, tl0));
            int decision = filter.decide(dd, p.marker());
            if (LayerDecision.isForward(decision)) {
                ByteBuf rewritten = Unpooled.buffer();
                int consumed = rewriter.rewrite(src, 0, src.readableBytes(), rewritten);
                assertThat(consumed).isPositive();
                rewritten.writeBytes(src, consumed, src.readableBytes() - consumed);
                assertThat(written.wrap(rewritten, 0, rewritten.readableBytes())).isTrue();
                assertThat(written.hasTid()).isFalse();
                assertThat(LayerDecision.isMarker(decision)).isEqualTo(p.marker());
                if (written.isStartOfFrame()) {
                    out.add(new Out(dd.frameNumber(), dd.temporalId(), written.pictureId(), written.tl0PicIdx(),
                            written.isKeyFrame()));
                }
            } else {
                rewriter.dropped(src, 0, src.readableBytes(), dd.temporalId());
                dropped++;
            }
        }
        return out;
    }

    @Test
    void t0AndT1OfChromesCaptureKeepPictureIdsAndTl0PicIdxContinuous() {
        List<Out> out = run(1, true, -1, 0);
        assertThat(out.get(0).keyframe()).isTrue();
        assertThat(out).allMatch(o -> o.temporalId() <= 1);
        assertThat(out).extracting(Out::frameNumber).startsWith(1, 3, 5, 7, 9, 11, 13, 15, 17);
        assertCountsUp(out);
        assertThat(dropped).isPositive();
    }

    @Test
    void t0AloneOfChromesCaptureKeepsIdsContinuous() {
        List<Out> out = run(0, true, -1, 0);
        assertThat(out).allMatch(o -> o.temporalId() == 0);
        assertThat(out).extracting(Out::frameNumber).startsWith(1, 5, 9, 13, 17);
        assertCountsUp(out);
    }

    @Test
    void upAndDownAtTheDescriptorsSwitchPoints() {
        // T0 until frame 9, then every layer: T1 and T2 frames follow from the next switch point on (frame 9, T0
        // "SSS"; every T0 frame is one), never a T2 frame before it.
        List<Out> out = run(0, true, 9, 2);
        assertThat(out).extracting(Out::frameNumber).startsWith(1, 5, 9, 10, 11, 12, 13, 14);
        assertCountsUp(out);
    }

    @Test
    void theCapturedOneByteDescriptorGoesOutUnchanged() {
        List<Out> out = run(1, false, -1, 0);
        assertThat(out).allMatch(o -> o.pictureId() == -1 && o.tl0PicIdx() == -1 && o.temporalId() <= 1);
        assertThat(rewriter.lastPictureId()).isEqualTo(-1);
    }

    @Test
    void startingMidStreamContinuesFromEveryLayerToTheNextSwitchPoint() {
        filter.continueFromAll();
        filter.setLayerTarget(0, 0);
        int forwardedT2 = 0;
        int forwardedAfterSwitch = 0;
        boolean switched = false;
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS.subList(4, ChromeVp8L1T3.PACKETS.size())) {
            ByteBuf ext = Unpooled.wrappedBuffer(p.dependencyDescriptor());
            dd.wrap(ext, 0, ext.readableBytes()); // the structure arrives with the second key frame
            boolean forward = LayerDecision.isForward(filter.decide(dd, p.marker()));
            if (filter.current() == 0) {
                switched = true;
                forwardedAfterSwitch += forward && dd.temporalId() > 0 ? 1 : 0;
            } else if (forward && dd.temporalId() == 2) {
                forwardedT2++;
            }
        }
        // Without a structure (the first key frame was missed) nothing resolves until the next key frame.
        assertThat(switched).isTrue();
        assertThat(forwardedT2).isZero();
        assertThat(forwardedAfterSwitch).isZero();
    }

    @Test
    void startingMidStreamWithTheStructureKnownNeedsNoKeyFrame() {
        List<ChromeVp8L1T3.Packet> packets = ChromeVp8L1T3.PACKETS;
        Av1DependencyDescriptor descriptor = new Av1DependencyDescriptor();
        // The key frame and frames 2..4 went out unfiltered (no limit yet).
        for (ChromeVp8L1T3.Packet p : packets.subList(0, 4)) {
            descriptor.wrap(Unpooled.wrappedBuffer(p.dependencyDescriptor()), 0, p.dependencyDescriptor().length);
        }
        filter.continueFromAll();
        filter.setLayerTarget(0, 0);
        List<Integer> forwarded = new ArrayList<>();
        for (ChromeVp8L1T3.Packet p : packets.subList(4, 12)) {
            assertThat(descriptor.wrap(Unpooled.wrappedBuffer(p.dependencyDescriptor()), 0,
                    p.dependencyDescriptor().length)).isTrue();
            if (LayerDecision.isForward(filter.decide(descriptor, p.marker())) && descriptor.isStartOfFrame()) {
                forwarded.add(descriptor.frameNumber());
            }
        }
        // Frame 5 is T0 "SRR": a switch point for T0, taken at once; then only T0 frames (9 is next).
        assertThat(forwarded).containsExactly(5, 9);
    }

    private static void assertCountsUp(List<Out> out) {
        int lastTl0 = -1;
        for (int i = 1; i < out.size(); i++) {
            Out o = out.get(i);
            assertThat(o.pictureId()).as("picture id of %s after %s", o, out.get(i - 1))
                    .isEqualTo((out.get(i - 1).pictureId() + 1) & 0x7FFF);
            if (o.temporalId() == 0) {
                assertThat(o.tl0PicIdx()).as("TL0PICIDX of %s", o).isEqualTo((out.get(i - 1).tl0PicIdx() + 1) & 0xFF);
            } else {
                assertThat(o.tl0PicIdx()).as("TL0PICIDX of %s", o).isEqualTo(out.get(i - 1).tl0PicIdx());
            }
            lastTl0 = o.tl0PicIdx();
        }
        assertThat(lastTl0).isGreaterThanOrEqualTo(out.get(0).tl0PicIdx());
    }
}
