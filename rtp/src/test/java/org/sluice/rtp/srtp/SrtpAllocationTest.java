package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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

    /**
     * The forwarding path protects into a freshly allocated direct buffer per packet: a buffer whose cached NIO
     * view does not exist yet. Copying through that view would allocate it on every packet; nothing may.
     */
    @ParameterizedTest
    @CsvSource({"AES_CM_128_HMAC_SHA1_80, false", "AEAD_AES_128_GCM, false", "AES_CM_128_HMAC_SHA1_80, true",
            "AEAD_AES_128_GCM, true"})
    void protectingIntoAFreshDirectBufferPerPacketAllocatesNothingInOurCode(SrtpProfile profile, boolean adaptive) {
        // The bound holds where Netty copies with Unsafe (JDK 17 to 24 by default; from 25 on only with
        // --sun-misc-unsafe-memory-access=allow): without it a fresh buffer's first copy makes its NIO view.
        Assumptions.assumeTrue(io.netty.util.internal.PlatformDependent.hasUnsafe(),
                "allocation bounds are measured where Netty copies with Unsafe");
        boolean jceGcm = profile.isAead() && !GcmBackend.selected().isOpenSsl();
        Assumptions.assumeTrue(!jceGcm || Runtime.version().feature() < 24,
                "the JCE's GCM allocates more from JDK 24 on; there the OpenSSL backend is the one that counts");
        com.sun.management.ThreadMXBean counter = allocationCounter();
        // The server's own allocator (Netty 4.2's adaptive one) or an unpooled one; leak tracking off while
        // measuring, as its records allocate on every access.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        ByteBufAllocator alloc = adaptive ? new AdaptiveByteBufAllocator(true, true)
                : new UnpooledByteBufAllocator(true, true);
        byte[] plainBytes = SrtpTestPackets.rtp(0x1234_5678, 100, 90_000, 0, false, PAYLOAD, 7);
        int packets = 4000;
        java.util.List<ByteBuf> outs = new java.util.ArrayList<>();
        ByteBuf plain = alloc.directBuffer(plainBytes.length).writeBytes(plainBytes);
        SrtpSession sender = SrtpSessionTest.session(profile);
        try {
            long[] perPacket = new long[2];
            for (int round = 0; round < 2; round++) { // the first round warms up (JIT, scratch growth)
                for (int i = 0; i < packets; i++) {
                    outs.add(alloc.directBuffer(plainBytes.length + 64));
                }
                long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < packets; i++) {
                    plain.setShort(2, round * packets + i);
                    if (sender.protectRtp(plain, outs.get(round * packets + i)) != SrtpResult.OK) {
                        throw new AssertionError("protect failed at " + i);
                    }
                }
                perPacket[round] = (counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / packets;
            }
            // What the JCE allocates per AES-GCM init (a copy of the key, its GHASH and counter state) stays.
            long limit = jceGcm ? JCE_GCM_BYTES_PER_PACKET : 4;
            System.out.printf("%s (%s) protect into a fresh %s direct buffer: %d B/packet%n", profile,
                    GcmBackend.selected().name(), adaptive ? "adaptive" : "unpooled", perPacket[1]);
            assertThat(perPacket[1]).as("bytes allocated per protected packet").isLessThanOrEqualTo(limit);
        } finally {
            plain.release();
            outs.forEach(ByteBuf::release);
            ResourceLeakDetector.setLevel(level);
        }
    }

    /**
     * The forwarding path's own call on OpenSSL's AES-GCM: the rewritten header written into a freshly allocated
     * buffer of Netty's adaptive allocator, the payload sealed straight from the received buffer behind it. Both
     * have a native address with or without {@code Unsafe}, so the cipher works on them in place, and nothing is
     * allocated per packet either way (CI runs this on Java 25 with and without {@code Unsafe}).
     */
    @Test
    void sealingAForwardedPacketOnOpenSslAllocatesNothingWithOrWithoutUnsafe() {
        Assumptions.assumeTrue(GcmBackend.selected().isOpenSsl(), "the OpenSSL backend is not in use");
        com.sun.management.ThreadMXBean counter = allocationCounter();
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        ByteBufAllocator alloc = new AdaptiveByteBufAllocator(true, true);
        byte[] plainBytes = SrtpTestPackets.rtp(0x1234_5678, 100, 90_000, 0, false, PAYLOAD, 7);
        int packets = 4000;
        java.util.List<ByteBuf> outs = new java.util.ArrayList<>();
        ByteBuf received = alloc.directBuffer(plainBytes.length).writeBytes(plainBytes);
        SrtpSession sender = SrtpSessionTest.session(SrtpProfile.AEAD_AES_128_GCM);
        try {
            long[] perPacket = new long[2];
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < packets; i++) {
                    outs.add(alloc.directBuffer(plainBytes.length + 64));
                }
                long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < packets; i++) {
                    ByteBuf out = outs.get(round * packets + i);
                    out.writeInt(0x8060_0000 | (round * packets + i) & 0xFFFF).writeInt(90_000).writeInt(0x1234_5678);
                    if (sender.protectRtp(out, 12, received, 12, plainBytes.length - 12) != SrtpResult.OK) {
                        throw new AssertionError("protect failed at " + i);
                    }
                }
                perPacket[round] = (counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / packets;
            }
            System.out.printf("AEAD_AES_128_GCM (openssl, Unsafe %s) sealed for forwarding into a fresh adaptive"
                    + " buffer: %d B/packet%n", io.netty.util.internal.PlatformDependent.hasUnsafe(), perPacket[1]);
            assertThat(perPacket[1]).as("bytes allocated per forwarded packet").isLessThanOrEqualTo(4);
        } finally {
            received.release();
            outs.forEach(ByteBuf::release);
            ResourceLeakDetector.setLevel(level);
        }
    }

    /** Bytes JDK 17's SunJCE allocates inside one AES-GCM encrypting init and doFinal of a 1.2 kB packet, at most. */
    private static final long JCE_GCM_BYTES_PER_PACKET = 1100;

    /** The JVM's per-thread allocation counter, switched on; the test is skipped where there is none. */
    static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counter.isThreadAllocatedMemorySupported(), "no allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        return counter;
    }
}
