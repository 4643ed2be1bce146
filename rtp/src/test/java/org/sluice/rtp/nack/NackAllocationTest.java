package org.sluice.rtp.nack;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-packet paths of this package allocate nothing: a lossy stream through a
 * {@link NackGenerator} with NACKs collected and answered, RTX packets wrapped and unwrapped in
 * place, and RTT samples smoothed, measured with the JVM's per-thread allocation counter (any
 * per-packet object would add megabytes).
 */
class NackAllocationTest {

    private static final int PACKETS = 200_000;
    private static final long MS = 1_000_000L;

    @Test
    void steadyStateAllocatesNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        NackGenerator g = new NackGenerator(NackSettings.defaults());
        NackGenerator.TooLate filter = (seq, now) -> seq % 97 == 0;
        g.tooLate(filter);
        RttFilter rtt = new RttFilter();
        int[] out = new int[64];
        ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(5).csrc(6).oneByteExtension(1, 2, 3)
                .payload(new byte[100]).padding(4).build();
        ByteBuf rtx = io.netty.buffer.Unpooled.buffer(packet.readableBytes() + 2);
        rtx.writerIndex(2).readerIndex(2);
        rtx.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
        RtpPacket view = new RtpPacket();
        try {
            long sink = run(g, rtt, out, rtx, view, 0, PACKETS); // warm-up, JIT
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(g, rtt, out, rtx, view, PACKETS, PACKETS);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isPositive();
            assertThat(g.recovered()).isPositive();
            assertThat(allocated).as("bytes allocated for %d packets", PACKETS).isLessThan(64 * 1024);
        } finally {
            packet.release();
            rtx.release();
        }
    }

    private static long run(NackGenerator g, RttFilter rtt, int[] out, ByteBuf rtx, RtpPacket view,
                            int first, int packets) {
        long sink = 0;
        long now = first * MS;
        int seq = first & 0xFFFF;
        int pendingFrom = 0;
        int pendingCount = 0;
        for (int i = 0; i < packets; i++) {
            now += MS;
            seq = (seq + 1) & 0xFFFF;
            if (i % 10 != 3) { // 10 % loss
                g.onPacket(seq, now);
            }
            if (i % 20 == 0) {
                for (int k = 0; k < pendingCount; k++) { // answer the previous NACKs
                    long sample = g.onPacket(out[pendingFrom + k], now);
                    rtt.add(sample, now);
                }
                pendingCount = g.collectDue(now, rtt.rttNanos(), out);
                pendingFrom = 0;
                sink += pendingCount + g.missing();
            }
            view.wrap(rtx);
            if (RtxPackets.wrapInPlace(rtx, view, 97, 7, seq)
                    && RtxPackets.unwrapInPlace(rtx, view, 96, 5)) {
                sink += view.sequenceNumber() + RtxPackets.originalSequence(view);
            }
        }
        return sink + (g.takeKeyframeNeeded() ? 1 : 0) + rtt.rttNanos();
    }
}
