package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AES-CM/HMAC-SHA1 protect and unprotect allocate nothing per packet: measured with the JVM's per-thread
 * allocation counter over many 1200-byte packets (one byte per packet would already show as
 * {@value #PACKETS} bytes). Heap buffers and direct buffers from an allocator without leak tracking (paranoid
 * leak records allocate on every access); on JDK 25 the direct case runs with Netty's {@code Unsafe} off.
 */
class SrtpAllocationTest {

    private static final int PACKETS = 20_000;
    private static final int PAYLOAD = 1188;

    @ParameterizedTest
    @CsvSource({"AES_CM_128_HMAC_SHA1_80, false", "AES_CM_128_HMAC_SHA1_32, false",
            "AES_CM_128_HMAC_SHA1_80, true", "AES_CM_128_HMAC_SHA1_32, true"})
    void aesCmProtectAndUnprotectAllocateNothingPerPacket(SrtpProfile profile, boolean direct) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        ByteBufAllocator alloc = new UnpooledByteBufAllocator(direct, true);
        byte[] plainBytes = SrtpTestPackets.rtp(0x1234_5678, 65_000, 90_000, 0, false, PAYLOAD, 7);
        ByteBuf plain = direct ? alloc.directBuffer(plainBytes.length) : alloc.heapBuffer(plainBytes.length);
        ByteBuf wire = direct ? alloc.directBuffer(plainBytes.length + 64) : alloc.heapBuffer(plainBytes.length + 64);
        plain.writeBytes(plainBytes);
        SrtpSession sender = SrtpSessionTest.session(profile);
        SrtpSession receiver = SrtpSessionTest.session(profile);
        try {
            long sink = run(sender, receiver, plain, wire, plainBytes, PACKETS, 0); // warm-up, JIT, scratch growth
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(sender, receiver, plain, wire, plainBytes, PACKETS, PACKETS);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isEqualTo(2L * PACKETS * plainBytes.length);
            assertThat(allocated).as("bytes allocated for %d protect+unprotect", PACKETS).isLessThan(16 * 1024);
        } finally {
            plain.release();
            wire.release();
        }
    }

    /** Protects packet after packet (the sequence number advances, wrapping the ROC), unprotects each, checks it. */
    private static long run(SrtpSession sender, SrtpSession receiver, ByteBuf plain, ByteBuf wire, byte[] expected,
                            int packets, int first) {
        long plainBytes = 0;
        for (int i = 0; i < packets; i++) {
            int seq = (65_000 + first + i) & 0xffff;
            plain.setShort(2, seq);
            wire.clear();
            if (sender.protectRtp(plain, wire) != SrtpResult.OK || receiver.unprotectRtp(wire) != SrtpResult.OK) {
                throw new AssertionError("round trip failed at packet " + i);
            }
            if (wire.readableBytes() != expected.length || wire.getByte(wire.writerIndex() - 1)
                    != expected[expected.length - 1] || wire.getShort(2) != (short) seq) {
                throw new AssertionError("round trip changed packet " + i);
            }
            plainBytes += wire.readableBytes();
        }
        return plainBytes;
    }
}
