package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;

/**
 * The AES-GCM backends: which one a JVM gets, that OpenSSL's and the JCE's produce the same bytes and open each
 * other's packets (RTP and RTCP, encrypted and not, every size up to a full MTU), and that OpenSSL's allocates
 * nothing per packet. The RFC 7714 vectors run on every backend in {@link SrtpKnownAnswerTest}; the jitsi-srtp
 * cross-check runs on the backend the JVM selects (JCE on 17, OpenSSL in CI's Java 25 pass).
 */
class GcmBackendTest {

    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    @Test
    void openSslIsUsedFromJava22WhereLibcryptoIsAndNeverOnOlderJavas() {
        OpenSslGcm.Loaded loaded = GcmBackend.loadOpenSsl();
        int java = Runtime.version().feature();
        System.out.println("Java " + java + ": " + GcmBackend.selected());
        if (java < 22) {
            assertThat(loaded.gcm()).isNull();
            assertThat(loaded.unavailable()).contains("Java " + java);
            assertThat(GcmBackend.selected().name()).isEqualTo("jce");
            assertThat(GcmBackend.selected().description()).contains("OpenSSL not used");
        } else if (CI) {
            // CI installs libssl3: on a new enough JVM the backend must load, or speed claims are false.
            assertThat(loaded.unavailable()).as("why OpenSSL did not load").isNull();
            assertThat(GcmBackend.selected().name()).isEqualTo("openssl");
            assertThat(GcmBackend.selected().description()).startsWith("OpenSSL 3");
        }
        assertThat(GcmBackend.choose("jce").name()).isEqualTo("jce");
        assertThat(GcmBackend.choose("auto").name()).isEqualTo(loaded.gcm() != null ? "openssl" : "jce");
        assertThat(GcmBackend.choose("nonsense").name()).as("an unknown value means auto")
                .isEqualTo(GcmBackend.choose("auto").name());
    }

    @ParameterizedTest
    @CsvSource({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
    void bothBackendsSealTheSameBytesAndOpenEachOthersPackets(SrtpProfile profile) {
        GcmBackend openSsl = requireOpenSsl();
        SrtpSession jceOut = session(profile, GcmBackend.jce());
        SrtpSession sslOut = session(profile, openSsl);
        SrtpSession jceIn = session(profile, GcmBackend.jce());
        SrtpSession sslIn = session(profile, openSsl);
        Random random = new Random(7714);
        for (int i = 0; i < 3000; i++) {
            int payload = i < 1300 ? i : random.nextInt(1300);
            byte[] plain = SrtpTestPackets.rtp(0x0bad_cafe, (60_000 + i) & 0xffff, 90L * i, random.nextInt(3),
                    random.nextBoolean(), payload, i);
            byte[] byJce = protect(jceOut, plain);
            byte[] bySsl = protect(sslOut, plain);
            assertThat(bySsl).as("packet %d (%d bytes of payload)", i, payload).isEqualTo(byJce);
            assertThat(unprotect(sslIn, byJce)).as("OpenSSL opens the JCE's packet %d", i).isEqualTo(plain);
            assertThat(unprotect(jceIn, bySsl)).as("the JCE opens OpenSSL's packet %d", i).isEqualTo(plain);
        }
        for (int i = 0; i < 500; i++) {
            byte[] rtcp = SrtpTestPackets.rtcp(0x5eed_0001 + i, i);
            byte[] byJce = protectRtcp(jceOut, rtcp);
            byte[] bySsl = protectRtcp(sslOut, rtcp);
            assertThat(bySsl).as("SRTCP %d", i).isEqualTo(byJce);
            assertThat(unprotectRtcp(sslIn, byJce)).as("OpenSSL opens SRTCP %d", i).isEqualTo(rtcp);
            assertThat(unprotectRtcp(jceIn, bySsl)).as("the JCE opens SRTCP %d", i).isEqualTo(rtcp);
        }
    }

    @ParameterizedTest
    @CsvSource({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
    void openSslRefusesEveryChangedByteAndDoesNotTouchThePacketItRefuses(SrtpProfile profile) {
        GcmBackend openSsl = requireOpenSsl();
        SrtpSession sender = session(profile, GcmBackend.jce());
        byte[] plain = SrtpTestPackets.rtp(0x0bad_cafe, 1000, 9000, 0, true, 200, 3);
        byte[] sealed = protect(sender, plain);
        for (int at = 0; at < sealed.length; at++) {
            byte[] changed = sealed.clone();
            changed[at] ^= 0x20;
            SrtpSession receiver = session(profile, openSsl);
            ByteBuf wire = heap(changed, 0);
            try {
                assertThat(receiver.unprotectRtp(wire)).as("byte %d changed", at).isNotEqualTo(SrtpResult.OK);
                assertThat(bytes(wire)).as("the refused packet is left as it came").isEqualTo(changed);
            } finally {
                wire.release();
            }
        }
        SrtpSession receiver = session(profile, openSsl);
        assertThat(unprotect(receiver, sealed)).as("the unchanged packet still opens").isEqualTo(plain);
    }

    @ParameterizedTest
    @CsvSource({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
    void openSslWorksStraightInBuffersWithANativeAddressAndLeavesARefusedPacketAsItCame(SrtpProfile profile) {
        GcmBackend openSsl = requireOpenSsl();
        SrtpSession jceOut = session(profile, GcmBackend.jce());
        SrtpSession sslOut = session(profile, openSsl);
        SrtpSession sslIn = session(profile, openSsl);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT; // Netty's adaptive allocator, as on the media path
        // Packets arrive as slices of one receive buffer (recvmmsg); they leave in buffers of their own.
        ByteBuf received = alloc.directBuffer(4096);
        Random random = new Random(3711);
        try {
            assertThat(received.hasMemoryAddress()).as("the path under test needs a native address").isTrue();
            for (int i = 0; i < 2000; i++) {
                byte[] plain = SrtpTestPackets.rtp(0x0bad_f00d, (65_000 + i) & 0xffff, 90L * i, random.nextInt(3),
                        random.nextBoolean(), random.nextInt(1300), i);
                int at = random.nextInt(4096 - plain.length);
                received.setBytes(at, plain);
                ByteBuf source = received.retainedSlice(at, plain.length);
                ByteBuf out = alloc.directBuffer(plain.length + 64);
                try {
                    assertThat(sslOut.protectRtp(source, out)).isEqualTo(SrtpResult.OK);
                    byte[] sealed = bytes(out);
                    assertThat(sealed).as("packet %d", i).isEqualTo(protect(jceOut, plain));
                    assertThat(bytes(source)).as("the source is left as it was").isEqualTo(plain);
                    if (i % 10 == 0) {
                        int changedAt = random.nextInt(sealed.length);
                        out.setByte(out.readerIndex() + changedAt, sealed[changedAt] ^ 0x01);
                        byte[] changed = bytes(out);
                        assertThat(sslIn.unprotectRtp(out)).as("byte %d of packet %d changed", changedAt, i)
                                .isNotEqualTo(SrtpResult.OK);
                        assertThat(bytes(out)).as("the refused packet is left as it came").isEqualTo(changed);
                        out.setByte(out.readerIndex() + changedAt, sealed[changedAt]);
                    }
                    assertThat(sslIn.unprotectRtp(out)).as("packet %d opens in place", i).isEqualTo(SrtpResult.OK);
                    assertThat(bytes(out)).isEqualTo(plain);
                } finally {
                    source.release();
                    out.release();
                }
            }
        } finally {
            received.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"AEAD_AES_128_GCM, false", "AEAD_AES_128_GCM, true", "AEAD_AES_256_GCM, true"})
    void openSslProtectAndUnprotectAllocateNothingPerPacket(SrtpProfile profile, boolean direct) {
        GcmBackend openSsl = requireOpenSsl();
        com.sun.management.ThreadMXBean counter = SrtpAllocationTest.allocationCounter();
        ByteBufAllocator alloc = new UnpooledByteBufAllocator(direct, true);
        byte[] plainBytes = SrtpTestPackets.rtp(0x1234_5678, 100, 90_000, 0, false, 1188, 7);
        ByteBuf plain = direct ? alloc.directBuffer(plainBytes.length) : alloc.heapBuffer(plainBytes.length);
        ByteBuf wire = direct ? alloc.directBuffer(plainBytes.length + 64) : alloc.heapBuffer(plainBytes.length + 64);
        plain.writeBytes(plainBytes);
        SrtpSession sender = session(profile, openSsl);
        SrtpSession receiver = session(profile, openSsl);
        int packets = 20_000;
        try {
            roundTrips(sender, receiver, plain, wire, plainBytes.length, packets, 0); // JIT, scratch growth
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            roundTrips(sender, receiver, plain, wire, plainBytes.length, packets, packets);
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            System.out.printf("%s on OpenSSL, %s buffers: %d bytes for %d protect+unprotect%n", profile,
                    direct ? "direct" : "heap", allocated, packets);
            assertThat(allocated).as("bytes allocated for %d protect+unprotect", packets).isLessThan(16 * 1024);
        } finally {
            plain.release();
            wire.release();
        }
    }

    private static void roundTrips(SrtpSession sender, SrtpSession receiver, ByteBuf plain, ByteBuf wire, int length,
                                   int packets, int first) {
        for (int i = 0; i < packets; i++) {
            int seq = (100 + first + i) & 0xffff;
            plain.setShort(2, seq);
            wire.clear();
            if (sender.protectRtp(plain, wire) != SrtpResult.OK || receiver.unprotectRtp(wire) != SrtpResult.OK
                    || wire.readableBytes() != length || wire.getShort(2) != (short) seq) {
                throw new AssertionError("round trip failed at packet " + i);
            }
        }
    }

    /** A session of {@code profile} with the test key and salt, its AES-GCM on {@code backend}. */
    private static SrtpSession session(SrtpProfile profile, GcmBackend backend) {
        return new SrtpSession(profile, SrtpSessionTest.key(profile), SrtpSessionTest.salt(profile),
                SrtpSessionConfig.DEFAULT, backend);
    }

    private static GcmBackend requireOpenSsl() {
        GcmBackend openSsl = GcmBackend.openSsl();
        if (Runtime.version().feature() >= 22 && CI) {
            assertThat(openSsl).as("OpenSSL backend on Java %d in CI: %s", Runtime.version().feature(),
                    GcmBackend.loadOpenSsl().unavailable()).isNotNull();
        }
        Assumptions.assumeTrue(openSsl != null, () -> "no OpenSSL backend: " + GcmBackend.loadOpenSsl().unavailable());
        return openSsl;
    }

    private static byte[] protect(SrtpSession session, byte[] plain) {
        ByteBuf in = heap(plain, 0);
        ByteBuf out = io.netty.buffer.Unpooled.buffer(plain.length + 64);
        try {
            assertThat(session.protectRtp(in, out)).isEqualTo(SrtpResult.OK);
            return bytes(out);
        } finally {
            in.release();
            out.release();
        }
    }

    private static byte[] unprotect(SrtpSession session, byte[] sealed) {
        ByteBuf wire = SrtpTestPackets.direct(sealed, 0);
        try {
            assertThat(session.unprotectRtp(wire)).isEqualTo(SrtpResult.OK);
            return bytes(wire);
        } finally {
            wire.release();
        }
    }

    private static byte[] protectRtcp(SrtpSession session, byte[] plain) {
        ByteBuf in = heap(plain, 0);
        ByteBuf out = io.netty.buffer.Unpooled.buffer(plain.length + 64);
        try {
            assertThat(session.protectRtcp(in, out)).isEqualTo(SrtpResult.OK);
            return bytes(out);
        } finally {
            in.release();
            out.release();
        }
    }

    private static byte[] unprotectRtcp(SrtpSession session, byte[] sealed) {
        ByteBuf wire = SrtpTestPackets.direct(sealed, 0);
        try {
            assertThat(session.unprotectRtcp(wire)).isEqualTo(SrtpResult.OK);
            return bytes(wire);
        } finally {
            wire.release();
        }
    }
}
