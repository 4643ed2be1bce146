package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.direct;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtp;

/**
 * {@link SrtpSession#protectRtp(ByteBuf, int, int, ByteBuf, int, int)}: a plain prefix already behind the
 * header in {@code out}, then the source payload, protected as one payload.
 */
class SrtpPrefixProtectTest {

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf track(ByteBuf b) {
        buffers.add(b);
        return b;
    }

    private static SrtpSession session(SrtpProfile profile) {
        return new SrtpSession(profile, SrtpSessionTest.key(profile), SrtpSessionTest.salt(profile));
    }

    private static byte[] prefix(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed * 31 + i * 13);
        }
        return p;
    }

    /** Header + prefix in {@code out}, payload from the source packet after its header. */
    private byte[] protectWithPrefix(SrtpSession session, byte[] packet, int headerLength, byte[] prefix,
                                     int sourceHeader, boolean directOut, boolean directSource) {
        ByteBuf source = track(directSource ? direct(packet, 0) : heap(packet, 0));
        byte[] before = bytes(source);
        ByteBuf out = track(directOut ? direct(new byte[0], 64) : heap(new byte[0], 64));
        out.writeBytes(new byte[] {1, 2, 3});  // unrelated bytes before the packet
        out.readerIndex(3);
        out.writeBytes(packet, 0, headerLength);
        out.writeBytes(prefix);
        int payloadLength = packet.length - sourceHeader;
        assertThat(session.protectRtp(out, headerLength, prefix.length, source, sourceHeader, payloadLength))
                .isEqualTo(SrtpResult.OK);
        assertThat(bytes(source)).as("the source is never modified").isEqualTo(before);
        return bytes(out);
    }

    private static byte[] concat(byte[] packet, int headerLength, byte[] prefix, int sourceHeader) {
        byte[] plain = new byte[headerLength + prefix.length + packet.length - sourceHeader];
        System.arraycopy(packet, 0, plain, 0, headerLength);
        System.arraycopy(prefix, 0, plain, headerLength, prefix.length);
        System.arraycopy(packet, sourceHeader, plain, headerLength + prefix.length, packet.length - sourceHeader);
        return plain;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void equalsProtectingTheConcatenatedPlaintext(SrtpProfile profile) {
        for (boolean directOut : new boolean[] {false, true}) {
            for (boolean directSource : new boolean[] {false, true}) {
                SrtpSession withPrefix = session(profile);
                SrtpSession reference = session(profile);
                SrtpSession receiver = session(profile);
                for (int prefixLength = 0; prefixLength <= 20; prefixLength++) {
                    boolean extension = prefixLength % 2 == 1;
                    byte[] packet = rtp(0x1234, 100 + prefixLength, 9000, prefixLength % 3, extension,
                            prefixLength * 7, prefixLength);
                    int headerLength = 12 + 4 * (prefixLength % 3) + (extension ? 12 : 0);
                    // The source's payload starts after its own (here: the same) header, descriptor included.
                    byte[] prefix = prefix(prefixLength, prefixLength);
                    byte[] plain = concat(packet, headerLength, prefix, headerLength);

                    byte[] got = protectWithPrefix(withPrefix, packet, headerLength, prefix, headerLength,
                            directOut, directSource);
                    ByteBuf expectedOut = track(heap(new byte[0], 64));
                    assertThat(reference.protectRtp(track(heap(plain, 0)), expectedOut)).isEqualTo(SrtpResult.OK);
                    assertThat(got).as("%s prefix %d", profile, prefixLength).isEqualTo(bytes(expectedOut));

                    ByteBuf roundTrip = track(heap(got, 0));
                    assertThat(receiver.unprotectRtp(roundTrip)).isEqualTo(SrtpResult.OK);
                    assertThat(bytes(roundTrip)).isEqualTo(plain);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPrefixOfZeroMatchesTheExistingForwardingMethod(SrtpProfile profile) {
        SrtpSession a = session(profile);
        SrtpSession b = session(profile);
        byte[] packet = rtp(77, 65535, 1, 1, true, 300, 5);
        int headerLength = 12 + 4 + 12;
        ByteBuf source = track(heap(packet, 0));
        ByteBuf outA = track(heap(Arrays.copyOf(packet, headerLength), 400));
        ByteBuf outB = track(heap(Arrays.copyOf(packet, headerLength), 400));
        assertThat(a.protectRtp(outA, headerLength, 0, source, headerLength, 300)).isEqualTo(SrtpResult.OK);
        assertThat(b.protectRtp(outB, headerLength, source, headerLength, 300)).isEqualTo(SrtpResult.OK);
        assertThat(bytes(outA)).isEqualTo(bytes(outB));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aDescriptorReplacesTheSourcesOwnAndTheOutputDecryptsToTheRewrittenPacket(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        byte[] packet = rtp(5, 7, 1, 0, false, 50, 9);
        // Source descriptor of 3 bytes is replaced by a 4-byte one: the payload is taken from after it.
        byte[] rewritten = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23};
        byte[] got = protectWithPrefix(sender, packet, 12, rewritten, 12 + 3, false, false);
        ByteBuf roundTrip = track(heap(got, 0));
        assertThat(receiver.unprotectRtp(roundTrip)).isEqualTo(SrtpResult.OK);
        assertThat(bytes(roundTrip)).isEqualTo(concat(packet, 12, rewritten, 15));
    }

    @Test
    void refusesBadArgumentsWithoutMovingTheWriterIndex() {
        SrtpSession sender = session(SrtpProfile.AEAD_AES_128_GCM);
        byte[] packet = rtp(5, 7, 1, 0, false, 50, 9);
        ByteBuf source = track(heap(packet, 0));
        ByteBuf out = track(heap(Arrays.copyOf(packet, 14), 100));
        int wi = out.writerIndex();
        assertThat(sender.protectRtp(out, 12, -1, source, 12, 10)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(out, 12, 3, source, 12, 10)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(out, 8, 2, source, 12, 10)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(out, 12, 2, source, 12, 100)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(out, 12, 2, source, -1, 10)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(out, 12, 2, source, 12, -1)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(out.writerIndex()).isEqualTo(wi);
        ByteBuf fixed = track(io.netty.buffer.Unpooled.buffer(14, 30));
        fixed.writeBytes(packet, 0, 14);
        assertThat(sender.protectRtp(fixed, 12, 2, source, 12, 20)).isEqualTo(SrtpResult.NO_ROOM);
        assertThat(fixed.writerIndex()).isEqualTo(14);
        assertThat(sender.protectRtp(out, 12, 2, source, 12, 38)).isEqualTo(SrtpResult.OK);
    }
}
