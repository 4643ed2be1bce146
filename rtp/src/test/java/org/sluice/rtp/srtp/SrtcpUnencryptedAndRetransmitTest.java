package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtcp;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtp;

/**
 * SRTCP with the E bit clear (authenticated, not encrypted), built here independently with JCE from the
 * derived session keys; and protecting the same RTP packet twice in a row (an unchanged retransmission).
 */
class SrtcpUnencryptedAndRetransmitTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void unencryptedSrtcpIsAuthenticatedAndAccepted(SrtpProfile profile) throws Exception {
        byte[] plain = rtcp(0x0badcafe, 3);
        int index = 77;
        SrtpKeyDerivation.SessionKeys keys = SrtpKeyDerivation.rtcp(profile, SrtpSessionTest.key(profile),
                SrtpSessionTest.salt(profile));
        byte[] word = {0, 0, 0, (byte) index}; // E = 0
        byte[] srtcp;
        if (profile.isAead()) {
            byte[] iv = Arrays.copyOf(keys.salt(), 12);
            byte[] ssrcAndIndex = {0, 0, 0x0b, (byte) 0xad, (byte) 0xca, (byte) 0xfe, 0, 0, 0, 0, 0, (byte) index};
            for (int i = 0; i < 12; i++) {
                iv[i] ^= ssrcAndIndex[i];
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.encryptionKey(), "AES"), new GCMParameterSpec(128, iv));
            gcm.updateAAD(plain);
            gcm.updateAAD(word);
            byte[] tag = gcm.doFinal();
            srtcp = concat(plain, tag, word);
        } else {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(keys.authenticationKey(), "HmacSHA1"));
            mac.update(plain);
            mac.update(word);
            srtcp = concat(plain, word, Arrays.copyOf(mac.doFinal(), 10));
        }
        SrtpSession receiver = SrtpSessionTest.session(profile);
        ByteBuf packet = heap(srtcp, 0);
        ByteBuf replay = heap(srtcp, 0);
        ByteBuf forged = heap(srtcp, 0);
        try {
            forged.setByte(12, forged.getByte(12) ^ 1);
            assertThat(receiver.unprotectRtcp(forged)).isEqualTo(SrtpResult.AUTH_FAILED);
            assertThat(receiver.unprotectRtcp(packet)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(packet)).isEqualTo(plain);
            assertThat(receiver.unprotectRtcp(replay)).isEqualTo(SrtpResult.REPLAYED);
        } finally {
            packet.release();
            replay.release();
            forged.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectingTheSamePacketTwiceGivesTheSameBytes(SrtpProfile profile) {
        SrtpSession sender = SrtpSessionTest.session(profile);
        SrtpSession receiver = SrtpSessionTest.session(profile);
        byte[] plain = rtp(42, 1000, 0, 0, false, 300, 1);
        ByteBuf in = heap(plain, 0);
        ByteBuf first = Unpooled.buffer(400);
        ByteBuf second = Unpooled.buffer(400);
        try {
            assertThat(sender.protectRtp(in, first)).isEqualTo(SrtpResult.OK);
            assertThat(sender.protectRtp(in, second)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(second)).isEqualTo(bytes(first));
            assertThat(receiver.unprotectRtp(first)).isEqualTo(SrtpResult.OK);
            assertThat(receiver.unprotectRtp(second)).isEqualTo(SrtpResult.REPLAYED);
        } finally {
            in.release();
            first.release();
            second.release();
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
