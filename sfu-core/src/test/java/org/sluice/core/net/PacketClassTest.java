package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7983 §7 demultiplexing by the first byte, at every range boundary. */
class PacketClassTest {

    @ParameterizedTest(name = "first byte {0} → {1}")
    @CsvSource({
            "0, STUN", "1, STUN", "3, STUN",
            "4, UNKNOWN", "16, UNKNOWN", "19, UNKNOWN",
            "20, DTLS", "22, DTLS", "63, DTLS",
            "64, UNKNOWN", "79, UNKNOWN", "127, UNKNOWN",
            "128, RTP_OR_RTCP", "144, RTP_OR_RTCP", "191, RTP_OR_RTCP",
            "192, UNKNOWN", "255, UNKNOWN"})
    void classifiesByFirstByte(int firstByte, PacketClass expected) {
        ByteBuf packet = Unpooled.buffer(4).writeByte(firstByte).writeByte(0).writeShort(0);
        try {
            assertThat(PacketClass.of(packet)).isEqualTo(expected);
            assertThat(packet.readerIndex()).isZero(); // nothing consumed
        } finally {
            packet.release();
        }
    }

    @Test
    void everyByteValueFallsInExactlyTheDocumentedRange() {
        ByteBuf packet = Unpooled.buffer(1);
        try {
            for (int b = 0; b < 256; b++) {
                packet.clear().writeByte(b);
                PacketClass expected = b <= 3 ? PacketClass.STUN
                        : b >= 20 && b <= 63 ? PacketClass.DTLS
                        : b >= 128 && b <= 191 ? PacketClass.RTP_OR_RTCP
                        : PacketClass.UNKNOWN;
                assertThat(PacketClass.of(packet)).as("byte %d", b).isEqualTo(expected);
            }
        } finally {
            packet.release();
        }
    }

    @Test
    void anEmptyPacketIsUnknown() {
        ByteBuf packet = Unpooled.buffer(4);
        try {
            assertThat(PacketClass.of(packet)).isEqualTo(PacketClass.UNKNOWN);
            packet.writeByte(0x80).readByte();
            assertThat(PacketClass.of(packet)).isEqualTo(PacketClass.UNKNOWN); // read past: nothing readable
        } finally {
            packet.release();
        }
    }

    @Test
    void looksAtTheReaderIndexNotTheStartOfTheBuffer() {
        ByteBuf packet = Unpooled.buffer(4).writeByte(0x00).writeByte(0x16).writeByte(0x80);
        try {
            packet.readerIndex(1);
            assertThat(PacketClass.of(packet)).isEqualTo(PacketClass.DTLS);
            packet.readerIndex(2);
            assertThat(PacketClass.of(packet)).isEqualTo(PacketClass.RTP_OR_RTCP);
        } finally {
            packet.release();
        }
    }
}
