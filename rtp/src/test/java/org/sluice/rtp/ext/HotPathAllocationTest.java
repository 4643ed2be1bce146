package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The per-packet parse and rewrite path allocates nothing (thread allocation counter). */
class HotPathAllocationTest {

    @Test
    void parseReadRewriteAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();

        ByteBuf buf = new RtpPacketBuilder().payloadType(96).sequenceNumber(1).ssrc(5)
                .oneByteExtension(4, '0').oneByteExtension(2, 0, 0, 1).oneByteExtension(3, 0, 9)
                .oneByteExtension(1, 0x90).payload(new byte[1100]).build();
        RtpPacket packet = new RtpPacket();
        HeaderExtensions ext = new HeaderExtensions();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += once(buf, packet, ext, i);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 20_000; i++) {
            sink += once(buf, packet, ext, i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        buf.release();
        assertThat(sink).isNotZero();
        // the counter itself may account a few bytes; per packet it must be zero
        assertThat(allocated).isLessThan(1024);
    }

    private static long once(ByteBuf buf, RtpPacket packet, HeaderExtensions ext, int i) {
        if (!packet.wrap(buf) || !ext.wrap(packet)) {
            return -1;
        }
        long acc = packet.ssrc() + packet.sequenceNumber() + packet.timestamp() + packet.payloadLength();
        acc += TransportCcExtension.read(ext, 3) + AbsSendTimeExtension.read(ext, 2)
                + AudioLevelExtension.level(ext, 1) + (SdesExtension.matches(ext, 4, "0") ? 1 : 0);
        for (int h = ext.first(); h >= 0; h = ext.next(h)) {
            acc += ext.idAt(h);
        }
        packet.setSsrc(0x1234);
        packet.setSequenceNumber(i);
        packet.setTimestamp(i * 3000L);
        packet.setPayloadType(100);
        packet.setMarker((i & 1) == 0);
        TransportCcExtension.write(ext, 3, i);
        return acc;
    }
}
