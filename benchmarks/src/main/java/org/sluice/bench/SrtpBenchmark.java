package org.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.rtp.srtp.SrtpProfile;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Protect and unprotect of a 1200-byte RTP packet (12-byte header, 1188-byte payload), Sluice's
 * {@link SrtpSession} over heap and direct Netty buffers next to jitsi-srtp over byte arrays, in the same run.
 *
 * <p>Every invocation uses the next sequence number (JCE refuses to encrypt twice under one GCM IV, and a
 * receiver refuses replays). Unprotect works in place, so each invocation first copies the next pre-protected
 * packet into the working buffer (the same copy for both implementations); jitsi's protect is in place too,
 * so it first copies the plain packet in, while Sluice's {@code protectRtp(plain, out)} reads the plain packet
 * and writes the SRTP packet to {@code out} in one pass.
 *
 * <p>The AEAD profiles run on the JVM's AES-GCM backend ({@code GcmBackend}): OpenSSL on Java 22+, the JCE on
 * older ones; {@code -Dsluice.srtp.gcm=jce} in the fork's arguments compares the two on one JVM.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SrtpBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar SrtpBenchmark \
 *     -p profile=AEAD_AES_128_GCM -prof gc -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dsluice.srtp.gcm=openssl"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {

    private static final int PACKET = 1200;
    private static final int SSRC = 0x1234abcd;
    /** Pre-protected packets for unprotect; the receiver is renewed after each lap (amortised). */
    private static final int RING = 4096;

    @Param({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public String profile;

    @Param({"sluice-heap", "sluice-direct", "jitsi"})
    public String impl;

    private SrtpProfile srtpProfile;
    private byte[] key;
    private byte[] salt;

    private SrtpSession sender;
    private SrtpSession receiver;
    private ByteBuf plain;
    private ByteBuf out;
    private ByteBuf work;

    private SrtpCryptoContext jitsiSender;
    private SrtpCryptoContext jitsiReceiver;
    private SrtpContextFactory jitsiSenderFactory;
    private SrtpContextFactory jitsiReceiverFactory;
    private byte[] plainArray;
    private byte[] workArray;
    private ArrayBuffer workBuffer;

    private byte[][] protectedPackets;
    private int seq;
    private int ring;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        srtpProfile = SrtpProfile.valueOf(profile);
        key = new byte[srtpProfile.masterKeyLength()];
        salt = new byte[srtpProfile.masterSaltLength()];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) random.nextInt(256);
        }
        plainArray = new byte[PACKET];
        plainArray[0] = (byte) 0x80;
        plainArray[1] = 96;
        plainArray[8] = 0x12;
        plainArray[9] = 0x34;
        plainArray[10] = (byte) 0xab;
        plainArray[11] = (byte) 0xcd;
        for (int i = 12; i < PACKET; i++) {
            plainArray[i] = (byte) random.nextInt(256);
        }
        boolean direct = impl.equals("sluice-direct");
        plain = direct ? Unpooled.directBuffer(PACKET) : Unpooled.buffer(PACKET);
        plain.writeBytes(plainArray);
        out = direct ? Unpooled.directBuffer(PACKET + 64) : Unpooled.buffer(PACKET + 64);
        work = direct ? Unpooled.directBuffer(PACKET + 64) : Unpooled.buffer(PACKET + 64);
        workArray = new byte[PACKET + 64];
        workBuffer = new ArrayBuffer(workArray);

        sender = new SrtpSession(srtpProfile, key, salt);
        receiver = new SrtpSession(srtpProfile, key, salt);
        jitsiSenderFactory = jitsi(true);
        jitsiReceiverFactory = jitsi(false);
        jitsiSender = jitsiSenderFactory.deriveContext(SSRC, 0);
        jitsiReceiver = jitsiReceiverFactory.deriveContext(SSRC, 0);

        SrtpSession ringSender = new SrtpSession(srtpProfile, key, salt);
        protectedPackets = new byte[RING][];
        ByteBuf tmp = Unpooled.buffer(PACKET + 64);
        for (int i = 0; i < RING; i++) {
            plain.setShort(2, i);
            tmp.clear();
            if (ringSender.protectRtp(plain, tmp) != SrtpResult.OK) {
                throw new IllegalStateException("protect failed");
            }
            protectedPackets[i] = new byte[tmp.readableBytes()];
            tmp.getBytes(0, protectedPackets[i]);
        }
        tmp.release();
    }

    private SrtpContextFactory jitsi(boolean sender) {
        SrtpPolicy rtp;
        SrtpPolicy rtcp;
        if (srtpProfile.isAead()) {
            rtp = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, key.length, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
            rtcp = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, key.length, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        } else {
            rtp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                    srtpProfile.rtpAuthTagLength(), 14);
            rtcp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        }
        return new SrtpContextFactory(sender, key, salt, rtp, rtcp, new LoggerImpl("srtp-bench"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.release();
        out.release();
        work.release();
        jitsiSenderFactory.close();
        jitsiReceiverFactory.close();
    }

    @Benchmark
    public int protect() throws Exception {
        int s = seq++ & 0xffff;
        if (impl.equals("jitsi")) {
            System.arraycopy(plainArray, 0, workArray, 0, PACKET);
            workArray[2] = (byte) (s >>> 8);
            workArray[3] = (byte) s;
            workBuffer.reset(PACKET);
            if (jitsiSender.transformPacket(workBuffer) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("jitsi protect failed");
            }
            return workBuffer.getLength();
        }
        plain.setShort(2, s);
        out.clear();
        if (sender.protectRtp(plain, out) != SrtpResult.OK) {
            throw new IllegalStateException("protect failed");
        }
        return out.writerIndex();
    }

    /**
     * The forwarding path's single pass (used by {@link SrtpCpuTimeComparison}, not a JMH method, to keep the
     * JMH run short): the rewritten 12-byte header is written into the egress buffer, then the payload is
     * encrypted from the ingress buffer straight after it. jitsi has no such call: it copies the packet and
     * protects in place, as in {@link #protect()}.
     */
    public int forward() throws Exception {
        if (impl.equals("jitsi")) {
            return protect();
        }
        int s = seq++ & 0xffff;
        out.clear();
        out.writeBytes(plain, 0, 12);
        out.setShort(2, s);
        if (sender.protectRtp(out, 12, plain, 12, PACKET - 12) != SrtpResult.OK) {
            throw new IllegalStateException("forward protect failed");
        }
        return out.writerIndex();
    }

    @Benchmark
    public int unprotect() throws Exception {
        int i = ring++;
        if (i == RING) {
            ring = 1;
            i = 0;
            receiver = new SrtpSession(srtpProfile, key, salt);
            jitsiReceiver = jitsiReceiverFactory.deriveContext(SSRC, 0);
        }
        byte[] packet = protectedPackets[i];
        if (impl.equals("jitsi")) {
            System.arraycopy(packet, 0, workArray, 0, packet.length);
            workBuffer.reset(packet.length);
            if (jitsiReceiver.reverseTransformPacket(workBuffer, false) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("jitsi unprotect failed");
            }
            return workBuffer.getLength();
        }
        work.clear().writeBytes(packet);
        if (receiver.unprotectRtp(work) != SrtpResult.OK) {
            throw new IllegalStateException("unprotect failed");
        }
        return work.writerIndex();
    }

    /** The {@link ByteArrayBuffer} jitsi-srtp works on, over one reused array. */
    static final class ArrayBuffer implements ByteArrayBuffer {
        private byte[] buffer;
        private int offset;
        private int length;

        ArrayBuffer(byte[] buffer) {
            this.buffer = buffer;
        }

        void reset(int len) {
            offset = 0;
            length = len;
        }

        @Override
        public byte[] getBuffer() {
            return buffer;
        }

        @Override
        public int getOffset() {
            return offset;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int len) {
            length = len;
        }

        @Override
        public void setOffset(int off) {
            offset = off;
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] outBuff) {
            System.arraycopy(buffer, offset + off, outBuff, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (offset + length + howMuch > buffer.length) {
                buffer = Arrays.copyOf(buffer, offset + length + howMuch);
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, buffer, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
