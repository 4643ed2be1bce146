package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.h264.H264Payload;
import org.sluice.rtp.codec.opus.OpusPacket;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.bytes;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

/**
 * Steady-state parsing and rewriting allocates nothing per packet: measured with the JVM's
 * per-thread allocation counter over many packets (any per-packet object would add megabytes).
 * The AV1 structure is attached once before measuring, then re-sent (a repeated structure must not
 * be copied).
 */
class ZeroAllocationTest {

    private static final int PACKETS = 100_000;

    @Test
    void parsingAndRewritingAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        byte[] av1Key = hex("c1017280081485214eafffaaaa863cf0430c10c302afc0aaa0063c00430010c002a000a80006000040001d954926e082b04a0941b820ac1282503157f974000ca864330e222222eca8655304224230eca877530077004200ef008601df010d");
        ByteBuf vp8 = exact(bytes(0x90, 0xE0, 0x92, 0x34, 0x56, 0x10, 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02), 12);
        ByteBuf vp9 = exact(bytes(0xAA, 0x85, 0x00, 0x20, 0x07, 0x30, 0x02, 0x80, 0x01, 0x68, 0x05, 0x00, 0x02, 0xD0, 0x00), 12);
        ByteBuf h264 = exact(bytes(24, 0, 2, 7, 0x42, 0, 2, 8, 0xCE, 0, 3, 5, 0x88, 0x84), 12);
        ByteBuf opus = exact(bytes(0x78, 0x01, 0x02), 12);
        ByteBuf av1Structure = exact(av1Key, 0);
        ByteBuf av1 = exact(hex("86017340fc"), 0);
        Vp8PayloadDescriptor vp8View = new Vp8PayloadDescriptor();
        Vp9PayloadDescriptor vp9View = new Vp9PayloadDescriptor();
        H264Payload h264View = new H264Payload();
        OpusPacket opusView = new OpusPacket();
        Av1DependencyDescriptor av1View = new Av1DependencyDescriptor();
        try {
            assertThat(av1View.wrap(av1Structure, 0, av1Key.length)).isTrue();
            long sink = run(vp8, vp9, h264, opus, av1, av1Structure, av1Key.length,
                    vp8View, vp9View, h264View, opusView, av1View, PACKETS); // warm-up, JIT
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(vp8, vp9, h264, opus, av1, av1Structure, av1Key.length,
                    vp8View, vp9View, h264View, opusView, av1View, PACKETS);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isPositive();
            // 6 views × 100k packets: even 1 byte per packet would be 600 KB.
            assertThat(allocated).as("bytes allocated for %d packets per codec", PACKETS).isLessThan(64 * 1024);
        } finally {
            vp8.release();
            vp9.release();
            h264.release();
            opus.release();
            av1Structure.release();
            av1.release();
        }
    }

    private static long run(ByteBuf vp8, ByteBuf vp9, ByteBuf h264, ByteBuf opus, ByteBuf av1,
                            ByteBuf av1Structure, int av1StructureLength,
                            Vp8PayloadDescriptor vp8View, Vp9PayloadDescriptor vp9View, H264Payload h264View,
                            OpusPacket opusView, Av1DependencyDescriptor av1View, int packets) {
        long sink = 0;
        for (int i = 0; i < packets; i++) {
            if (vp8View.wrap(vp8, 12, 16)) {
                vp8View.setPictureId(vp8View.pictureId() + 1);
                vp8View.setTl0PicIdx(vp8View.tl0PicIdx() + 1);
                vp8View.setTid(i & 3);
                sink += vp8View.width() + (vp8View.isKeyFrame() ? 1 : 0);
            }
            if (vp9View.wrap(vp9, 12, 15)) {
                vp9View.setPictureId(vp9View.pictureId() + 1);
                vp9View.setTl0PicIdx(i);
                sink += vp9View.spatialLayerWidth(1) + vp9View.temporalId();
            }
            if (h264View.wrap(h264, 12, 14)) {
                sink += h264View.nalUnitCount() + h264View.nalUnitOffset(2) + (h264View.isKeyFrame() ? 1 : 0);
            }
            if (opusView.wrap(opus, 12, 3)) {
                sink += opusView.packetSamples48k();
            }
            if (av1View.wrap(av1, 0, 5)) {
                sink += av1View.spatialId() + av1View.frameDiff(0) + av1View.activeDecodeTargets();
            }
            if ((i & 1023) == 0 && av1View.wrap(av1Structure, 0, av1StructureLength)) {
                sink++;
            }
            for (Codec codec : CODECS) {
                sink += KeyframeDetector.isKeyframe(codec, vp8, 12, 16) ? 1 : 0;
            }
        }
        return sink;
    }

    private static final Codec[] CODECS = Codec.values();
}
