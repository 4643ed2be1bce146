package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtcp;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtp;

/**
 * Interoperability with an independent implementation, jitsi-srtp: what we protect it unprotects and the
 * reverse, for every profile, RTP and RTCP, several SSRCs and a sequence-number wrap.
 */
class SrtpJitsiCrossCheckTest {

    private static final int[] SSRCS = {0x01020304, 0xdeadbeef, 0x7fffffff};

    static SrtpPolicy[] policies(SrtpProfile profile) {
        if (profile.isAead()) {
            SrtpPolicy p = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, profile.masterSaltLength());
            SrtpPolicy c = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, profile.masterSaltLength());
            return new SrtpPolicy[]{p, c};
        }
        SrtpPolicy p = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                profile.rtpAuthTagLength(), 14);
        SrtpPolicy c = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                profile.rtcpAuthTagLength(), 14);
        return new SrtpPolicy[]{p, c};
    }

    static SrtpContextFactory jitsi(SrtpProfile profile, boolean sender) {
        SrtpPolicy[] p = policies(profile);
        return new SrtpContextFactory(sender, SrtpSessionTest.key(profile), SrtpSessionTest.salt(profile), p[0], p[1],
                new LoggerImpl("jitsi-srtp-crosscheck"));
    }

    /** Sequence numbers per SSRC: a start near the wrap so each stream crosses it. */
    private static int[] sequences(int ssrcIndex) {
        int[] seqs = new int[60];
        int start = 65510 + ssrcIndex * 3;
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = (start + i) & 0xffff;
        }
        return seqs;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void weProtectJitsiUnprotects(SrtpProfile profile) throws Exception {
        SrtpSession ours = SrtpSessionTest.session(profile);
        SrtpContextFactory theirs = jitsi(profile, false);
        Map<Integer, SrtpCryptoContext> rtpContexts = new HashMap<>();
        Map<Integer, SrtcpCryptoContext> rtcpContexts = new HashMap<>();
        for (int round = 0; round < 60; round++) {
            for (int s = 0; s < SSRCS.length; s++) {
                int ssrc = SSRCS[s];
                int seq = sequences(s)[round];
                byte[] plain = rtp(ssrc, seq, round * 960L, s, s == 1, 100 + round * 17, round);
                ByteBuf in = heap(plain, 0);
                ByteBuf out = Unpooled.buffer(plain.length + 16);
                try {
                    assertThat(ours.protectRtp(in, out)).isEqualTo(SrtpResult.OK);
                    JitsiByteArrayBuffer packet = new JitsiByteArrayBuffer(bytes(out), 0, out.readableBytes());
                    SrtpCryptoContext context = rtpContexts.computeIfAbsent(ssrc, x -> derive(theirs, x));
                    assertThat(context.reverseTransformPacket(packet, false)).as("ssrc %x seq %d", ssrc, seq)
                            .isEqualTo(SrtpErrorStatus.OK);
                    assertThat(packet.toArray()).isEqualTo(plain);
                } finally {
                    in.release();
                    out.release();
                }
                if (round % 10 == 0) {
                    byte[] plainRtcp = rtcp(ssrc, round);
                    ByteBuf rin = heap(plainRtcp, 0);
                    ByteBuf rout = Unpooled.buffer(plainRtcp.length + 32);
                    try {
                        assertThat(ours.protectRtcp(rin, rout)).isEqualTo(SrtpResult.OK);
                        JitsiByteArrayBuffer packet = new JitsiByteArrayBuffer(bytes(rout), 0, rout.readableBytes());
                        SrtcpCryptoContext context = rtcpContexts.computeIfAbsent(ssrc, x -> deriveControl(theirs, x));
                        assertThat(context.reverseTransformPacket(packet)).isEqualTo(SrtpErrorStatus.OK);
                        assertThat(packet.toArray()).isEqualTo(plainRtcp);
                    } finally {
                        rin.release();
                        rout.release();
                    }
                }
            }
        }
        theirs.close();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void jitsiProtectsWeUnprotect(SrtpProfile profile) throws Exception {
        SrtpSession ours = SrtpSessionTest.session(profile);
        SrtpContextFactory theirs = jitsi(profile, true);
        Map<Integer, SrtpCryptoContext> rtpContexts = new HashMap<>();
        Map<Integer, SrtcpCryptoContext> rtcpContexts = new HashMap<>();
        for (int round = 0; round < 60; round++) {
            for (int s = 0; s < SSRCS.length; s++) {
                int ssrc = SSRCS[s];
                int seq = sequences(s)[round];
                byte[] plain = rtp(ssrc, seq, round * 960L, s, s == 2, 100 + round * 13, round);
                JitsiByteArrayBuffer packet = new JitsiByteArrayBuffer(java.util.Arrays.copyOf(plain, plain.length + 16),
                        0, plain.length);
                SrtpCryptoContext context = rtpContexts.computeIfAbsent(ssrc, x -> derive(theirs, x));
                assertThat(context.transformPacket(packet)).isEqualTo(SrtpErrorStatus.OK);
                ByteBuf received = heap(packet.toArray(), 0);
                try {
                    assertThat(ours.unprotectRtp(received)).as("ssrc %x seq %d", ssrc, seq).isEqualTo(SrtpResult.OK);
                    assertThat(bytes(received)).isEqualTo(plain);
                } finally {
                    received.release();
                }
                if (round % 10 == 0) {
                    byte[] plainRtcp = rtcp(ssrc, round);
                    JitsiByteArrayBuffer rtcpPacket = new JitsiByteArrayBuffer(
                            java.util.Arrays.copyOf(plainRtcp, plainRtcp.length + 32), 0, plainRtcp.length);
                    SrtcpCryptoContext control = rtcpContexts.computeIfAbsent(ssrc, x -> deriveControl(theirs, x));
                    assertThat(control.transformPacket(rtcpPacket)).isEqualTo(SrtpErrorStatus.OK);
                    ByteBuf rtcpReceived = heap(rtcpPacket.toArray(), 0);
                    try {
                        assertThat(ours.unprotectRtcp(rtcpReceived)).isEqualTo(SrtpResult.OK);
                        assertThat(bytes(rtcpReceived)).isEqualTo(plainRtcp);
                    } finally {
                        rtcpReceived.release();
                    }
                }
            }
        }
        theirs.close();
    }

    private static SrtpCryptoContext derive(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveContext(ssrc, 0);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SrtcpCryptoContext deriveControl(SrtpContextFactory factory, int ssrc) {
        try {
            return factory.deriveControlContext(ssrc);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
