package org.sluice.core.forward;

import org.sluice.rtp.ext.ExtensionType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RtpHeaderWriterTest {

    private static final String AUDIO_LEVEL = ExtensionType.AUDIO_LEVEL.uri();
    private static final String ORIENTATION = ExtensionType.VIDEO_ORIENTATION.uri();
    private static final String DD = ExtensionType.DEPENDENCY_DESCRIPTOR.uri();
    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private final RtpPacket view = new RtpPacket();
    private final HeaderExtensions extensions = new HeaderExtensions();
    private final ByteBuf out = Unpooled.buffer(256);
    private ByteBuf source;

    @AfterEach
    void release() {
        out.release();
        if (source != null) {
            source.release();
        }
    }

    private String write(RtpPacketBuilder packet, Map<String, Integer> publisher, Map<String, Integer> receiver) {
        source = packet.build();
        assertThat(view.wrap(source)).isTrue();
        int[] table = ExtensionIds.fromUris(publisher).translationTo(ExtensionIds.fromUris(receiver));
        out.writeByte(0xEE); // the header is appended at the writer index, not at 0
        int length = RtpHeaderWriter.write(out, view, extensions, table, 100, 0xBEEF, 0x01020304L, 0xA1B2C3D4L);
        assertThat(length).isEqualTo(out.readableBytes() - 1);
        return ByteBufUtil.hexDump(out, 1, length);
    }

    private static RtpPacketBuilder packet() {
        return new RtpPacketBuilder().payloadType(96).sequenceNumber(7).timestamp(99).ssrc(0x1111)
                .payload(new byte[] {1, 2, 3});
    }

    private String writeNamed(RtpPacketBuilder packet, Map<String, Integer> publisher, Map<String, Integer> receiver,
                              StreamIdentity identity) {
        source = packet.build();
        assertThat(view.wrap(source)).isTrue();
        int[] table = ExtensionIds.fromUris(publisher).translationTo(ExtensionIds.fromUris(receiver));
        int length = RtpHeaderWriter.write(out, view, extensions, table, false, 100, 0xBEEF, 0x01020304L,
                0xA1B2C3D4L, 0, -1, identity);
        assertThat(length).isLessThanOrEqualTo(RtpHeaderWriter.maxLength(view, identity));
        return ByteBufUtil.hexDump(out, 0, length);
    }

    @Test
    void aNamedStreamCarriesItsMidAndRidInEveryPacket() {
        // No extension in the source: the block holds the mid "1" (id 1) and the rid "2" (id 3).
        String hex = writeNamed(packet(), Map.of(), Map.of(), StreamIdentity.of(1, "1", 3, "2"));
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "bede0001" + "1031" + "3032");
    }

    @Test
    void aNamedStreamKeepsTheCopiedExtensionsAndDropsThePublishersOwnMid() {
        String hex = writeNamed(packet().oneByteExtension(1, 0xAA).oneByteExtension(3, 0x68),
                Map.of(AUDIO_LEVEL, 1, MID, 3), Map.of(AUDIO_LEVEL, 2, MID, 1), StreamIdentity.of(1, "0", 0, null));
        // our mid "0" (id 1), then the audio level renumbered to 2; the publisher's mid "h" is not copied
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "bede0001" + "1030" + "20aa");
        HeaderExtensions parsed = new HeaderExtensions();
        RtpPacket written = new RtpPacket();
        assertThat(written.wrap(out)).isTrue();
        assertThat(parsed.wrap(written)).isTrue();
        assertThat(parsed.find(1)).isNotNegative();
    }

    @Test
    void aLongRidNeedsTheTwoByteForm() {
        String rid = "r".repeat(17);
        String hex = writeNamed(packet(), Map.of(), Map.of(), StreamIdentity.of(1, "1", 3, rid));
        // 1000 profile; elements id/len/value: 01 01 31, 03 11 "r"*17 = 3 + 19 = 22 bytes, padded to 24 (6 words)
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "10000006" + "010131" + "0311" + "72".repeat(17)
                + "0000");
    }

    @Test
    void identityValuesAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamIdentity.of(1, "", 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamIdentity.of(256, "0", 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamIdentity.of(0, null, 0, "x").count()).isZero();
    }

    @Test
    void withoutExtensionsWritesTheFixedHeader() {
        String hex = write(packet().marker(true).csrc(0x77), Map.of(), Map.of());
        assertThat(hex).isEqualTo("80e4beef01020304a1b2c3d4");
    }

    @Test
    void copiesNegotiatedExtensionsRenumberedAndDropsTheRest() {
        String hex = write(packet()
                        .oneByteExtension(1, 0xAA)              // audio level, publisher id 1
                        .oneByteExtension(3, 0x30, 0x31)        // mid: terminated by the SFU, dropped
                        .oneByteExtension(4, 0x01),             // video orientation, publisher id 4
                Map.of(AUDIO_LEVEL, 1, MID, 3, ORIENTATION, 4),
                Map.of(AUDIO_LEVEL, 6, MID, 1, ORIENTATION, 2));
        // 90: X bit; BEDE, 1 word: id 6 len 1 = 0x60 aa, id 2 len 1 = 0x20 01
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "bede0001" + "60aa2001");
    }

    @Test
    void padsTheBlockToAWholeWord() {
        String hex = write(packet().oneByteExtension(1, 0xAA).oneByteExtension(2, 0x01, 0x02, 0x03),
                Map.of(AUDIO_LEVEL, 1, ORIENTATION, 2), Map.of(AUDIO_LEVEL, 5, ORIENTATION, 10));
        // 2 + 4 = 6 bytes of elements, padded with two zero bytes to 2 words
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "bede0002" + "50aa" + "a2010203" + "0000");
    }

    @Test
    void anExtensionWhoseTypeTheReceiverDidNotNegotiateIsDropped() {
        String hex = write(packet().oneByteExtension(1, 0xAA),
                Map.of(AUDIO_LEVEL, 1), Map.of(ORIENTATION, 1));
        assertThat(hex).isEqualTo("8064beef01020304a1b2c3d4");
    }

    @Test
    void noXBitWhenEveryElementIsDropped() {
        String hex = write(packet().oneByteExtension(3, 0x30).oneByteExtension(5, 1, 2, 3),
                Map.of(MID, 3, TWCC, 5), Map.of(MID, 3, TWCC, 5));
        assertThat(hex).isEqualTo("8064beef01020304a1b2c3d4");
    }

    @Test
    void aReceiverIdAbove14NeedsTheTwoByteForm() {
        String hex = write(packet().oneByteExtension(1, 0xAA).oneByteExtension(4, 0x01),
                Map.of(AUDIO_LEVEL, 1, ORIENTATION, 4), Map.of(AUDIO_LEVEL, 20, ORIENTATION, 3));
        // 1000, elements: (20, 1, aa) (3, 1, 01) = 6 bytes + 2 padding
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "10000002" + "1401aa" + "030101" + "0000");
    }

    @Test
    void aTwoByteSourceWithLongElementsStaysTwoByte() {
        byte[] dd = new byte[20];
        for (int i = 0; i < dd.length; i++) {
            dd[i] = (byte) (0x80 + i);
        }
        String hex = write(packet().twoByteExtension(12, dd).twoByteExtension(7, 0x55),
                Map.of(DD, 12, AUDIO_LEVEL, 7), Map.of(DD, 2, AUDIO_LEVEL, 1));
        // (2, 20, dd...) (1, 1, 55) = 22 + 3 = 25 bytes + 3 padding = 7 words
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "10000007" + "0214" + ByteBufUtil.hexDump(dd)
                + "010155" + "000000");
    }

    @Test
    void aTwoByteSourceWithShortElementsAndSmallIdsIsWrittenOneByte() {
        String hex = write(packet().twoByteExtension(40, 0x55).twoByteExtension(41, 0x01),
                Map.of(AUDIO_LEVEL, 40, ORIENTATION, 41), Map.of(AUDIO_LEVEL, 1, ORIENTATION, 2));
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "bede0001" + "1055" + "2001");
    }

    @Test
    void anEmptyTwoByteElementForcesTheTwoByteForm() {
        String hex = write(packet().twoByteExtension(40).twoByteExtension(41, 0x01),
                Map.of(AUDIO_LEVEL, 40, ORIENTATION, 41), Map.of(AUDIO_LEVEL, 1, ORIENTATION, 2));
        // (1, 0) (2, 1, 01) = 5 bytes + 3 padding
        assertThat(hex).isEqualTo("9064beef01020304a1b2c3d4" + "10000002" + "0100" + "020101" + "000000");
    }

    @Test
    void theWrittenHeaderParsesBackWithTheRenumberedElements() {
        write(packet().oneByteExtension(1, 0xAA).oneByteExtension(4, 0x01),
                Map.of(AUDIO_LEVEL, 1, ORIENTATION, 4), Map.of(AUDIO_LEVEL, 20, ORIENTATION, 3));
        out.writeBytes(new byte[] {9, 9});
        RtpPacket parsed = new RtpPacket();
        assertThat(parsed.wrap(out, 1, out.readableBytes() - 1)).as(parsed.invalidReason()).isTrue();
        HeaderExtensions ext = new HeaderExtensions();
        assertThat(ext.wrap(parsed)).isTrue();
        assertThat(ext.find(20)).isGreaterThanOrEqualTo(0);
        assertThat((int) out.getUnsignedByte(ext.find(20))).isEqualTo(0xAA);
        assertThat((int) out.getUnsignedByte(ext.find(3))).isEqualTo(0x01);
        assertThat(parsed.payloadLength()).isEqualTo(2);
        assertThat(parsed.ssrc()).isEqualTo(0xA1B2C3D4L);
        assertThat(parsed.sequenceNumber()).isEqualTo(0xBEEF);
        assertThat(parsed.timestamp()).isEqualTo(0x01020304L);
    }
}
