package org.sluice.rtp.frame;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

/**
 * Tagging and tracking allocate nothing per packet: a VP8 L1T3 stream with loss, reordering and
 * a layer statistics listener, and an AV1 stream whose dependency descriptors carry frame diffs,
 * measured with the per-thread allocation counter.
 */
class FrameAllocationTest {

    private static final int PACKETS = 200_000;

    @Test
    void taggingAndTrackingAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        // X=1 S=1 PID=0; I L T; 15-bit picture id, TL0PICIDX, TID; one payload byte (P=1).
        ByteBuf buf = exact(new byte[] {(byte) 0x90, (byte) 0xE0, (byte) 0x80, 0, 0, 0, 1, 0}, 12);
        PacketTagger tagger = new PacketTagger();
        PacketTag tag = new PacketTag();
        FrameTracker tracker = new FrameTracker(1024, 1_000_000_000L);
        LayerStatistics stats = new LayerStatistics();
        tracker.setListener(stats);
        byte[] key = PacketTaggerTest.AV1_DD_KEY;
        ByteBuf av1Key = exact(key, 0);
        ByteBuf av1Dd = exact(hex("86017340fc"), 0);
        ByteBuf av1Payload = exact(new byte[] {0x10, 0x32, 0x00}, 0);
        Av1StructureHolder holder = new Av1StructureHolder();
        FrameTracker av1Tracker = new FrameTracker(1024, 1_000_000_000L);
        try {
            assertThat(tagger.tagAv1(av1Payload, 0, 3, true, av1Key, 0, key.length, holder, tag)).isTrue();
            long sink = run(buf, tagger, tag, tracker, 0, PACKETS);
            sink += runAv1(av1Payload, av1Dd, tagger, tag, holder, av1Tracker, 0, PACKETS);
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(buf, tagger, tag, tracker, PACKETS, PACKETS);
            sink += runAv1(av1Payload, av1Dd, tagger, tag, holder, av1Tracker, PACKETS, PACKETS);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isPositive();
            assertThat(av1Tracker.framesDecodable()).isGreaterThan(av1Tracker.framesComplete() / 2);
            assertThat(tracker.framesDecodable()).isGreaterThan(tracker.framesComplete() / 2);
            assertThat(tracker.framesIncomplete()).isPositive();
            assertThat(allocated).as("bytes allocated for %d packets", PACKETS).isLessThan(64 * 1024);
        } finally {
            buf.release();
            av1Key.release();
            av1Dd.release();
            av1Payload.release();
        }
    }

    /**
     * One packet per frame: template 1 (S0T0, no references: a key frame) every 100th frame, else
     * template 6 (one reference, the previous frame number); every 397th packet lost.
     */
    private static long runAv1(ByteBuf payload, ByteBuf dd, PacketTagger tagger, PacketTag tag,
                               Av1StructureHolder holder, FrameTracker tracker, int from, int count) {
        long sink = 0;
        for (int i = from; i < from + count; i++) {
            if (i % 397 == 0) {
                continue;
            }
            dd.setByte(0, i % 100 == 0 ? 0xC1 : 0xC6);
            dd.setShort(1, i);
            if (tagger.tagAv1(payload, 0, 3, true, dd, 0, 5, holder, tag)) {
                tracker.onPacket(i & 0xFFFF, 3000L * i, tag, 3, i * 33_333_333L);
                sink++;
            }
        }
        return sink;
    }

    private static final int[] L1T3 = {0, 2, 1, 2};

    private static long run(ByteBuf buf, PacketTagger tagger, PacketTag tag, FrameTracker tracker, int from, int count) {
        long sink = 0;
        for (int j = from; j < from + count; j++) {
            // Delivery order: every 89th pair swapped, every 397th packet lost.
            int i = j % 89 == 0 ? j + 1 : j % 89 == 1 ? j - 1 : j;
            if (i % 397 == 0) {
                continue;
            }
            int frame = i / 2;
            boolean first = (i & 1) == 0;
            buf.setByte(12, first ? 0x90 : 0x80);
            buf.setShort(14, 0x8000 | (frame & 0x7FFF));
            buf.setByte(16, frame / 4);
            buf.setByte(17, L1T3[frame % 4] << 6);
            buf.setByte(18, frame % 100 == 0 && first ? 0 : 1);
            if (tagger.tag(Codec.VP8, buf, 12, 8, !first, tag)) {
                long now = j * 16_666_666L;
                tracker.onPacket(i & 0xFFFF, 3000L * frame, tag, 8, now);
                sink += tracker.isTooLate((i - 3) & 0xFFFF, now) ? 1 : 0;
            }
        }
        return sink + tracker.framesComplete();
    }
}
