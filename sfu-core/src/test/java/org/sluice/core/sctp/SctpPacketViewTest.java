package org.sluice.core.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SctpPacketViewTest {

    /** An INIT as Chromium sends it (from pion/sctp's packet tests), with its CRC32c. */
    static final byte[] CHROME_INIT = bytes(
            0x13, 0x88, 0x13, 0x88, 0x00, 0x00, 0x00, 0x00, 0x81, 0x46, 0x9d, 0xfc, 0x01, 0x00, 0x00, 0x56, 0x55,
            0xb9, 0x64, 0xa5, 0x00, 0x02, 0x00, 0x00, 0x04, 0x00, 0x08, 0x00, 0xe8, 0x6d, 0x10, 0x30, 0xc0, 0x00,
            0x00, 0x04, 0x80, 0x08, 0x00, 0x09, 0xc0, 0x0f, 0xc1, 0x80, 0x82, 0x00, 0x00, 0x00, 0x80, 0x02, 0x00,
            0x24, 0x9f, 0xeb, 0xbb, 0x5c, 0x50, 0xc9, 0xbf, 0x75, 0x9c, 0xb1, 0x2c, 0x57, 0x4f, 0xa4, 0x5a, 0x51,
            0xba, 0x60, 0x17, 0x78, 0x27, 0x94, 0x5c, 0x31, 0xe6, 0x5d, 0x5b, 0x09, 0x47, 0xe2, 0x22, 0x06, 0x80,
            0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x80, 0x03, 0x00, 0x06, 0x80, 0xc1, 0x00, 0x00);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void crc32cMatchesTheRfc3720Vectors() {
        // RFC 3720 B.4: 32 bytes of zeros -> 0x8a9136aa (the checksum field is zero anyway).
        assertThat(Crc32c.of(new byte[32], 0, 32)).isEqualTo(0x8a9136aa);
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        CRC32C ref = new CRC32C();
        ref.update(ones);
        assertThat(ref.getValue()).isEqualTo(0x62a8ab43L);
        byte[] inc = new byte[32];
        for (int i = 0; i < 32; i++) {
            inc[i] = (byte) i;
        }
        ref.reset();
        ref.update(inc);
        assertThat(ref.getValue()).isEqualTo(0x46dd794eL);
    }

    @Test
    void chromesInitPassesItsChecksumAndParses() {
        SctpPacketView view = new SctpPacketView();
        assertThat(view.wrap(CHROME_INIT, 0, CHROME_INIT.length)).isTrue();
        assertThat(view.sourcePort()).isEqualTo(5000);
        assertThat(view.destinationPort()).isEqualTo(5000);
        assertThat(view.verificationTag()).isZero();
        assertThat(view.nextChunk()).isTrue();
        assertThat(view.chunkType()).isEqualTo(Chunks.INIT);
        assertThat(view.chunkLength()).isEqualTo(0x56);
        assertThat(view.nextChunk()).isFalse();
    }

    @Test
    void aFlippedBitFailsTheChecksum() {
        for (int i = 0; i < CHROME_INIT.length; i++) {
            byte[] copy = CHROME_INIT.clone();
            copy[i] ^= 0x10;
            assertThat(new SctpPacketView().wrap(copy, 0, copy.length)).as("byte %d", i).isFalse();
        }
    }

    @Test
    void builtPacketsRoundTrip() {
        PacketBuilder b = new PacketBuilder(1200, 5000, 5000);
        b.reset(0x01020304);
        b.beginChunk(Chunks.COOKIE_ACK, 0, 4);
        b.beginChunk(Chunks.DATA, 3, 17);
        b.i32(7);
        b.u16(1);
        b.u16(0);
        b.i32(51);
        b.u8(0x41);
        b.pad();
        byte[] p = b.finish();
        SctpPacketView view = new SctpPacketView();
        assertThat(view.wrap(p, 0, p.length)).isTrue();
        assertThat(view.verificationTag()).isEqualTo(0x01020304);
        assertThat(view.chunkCount()).isEqualTo(2);
        assertThat(view.nextChunk()).isTrue();
        assertThat(view.chunkType()).isEqualTo(Chunks.COOKIE_ACK);
        assertThat(view.nextChunk()).isTrue();
        assertThat(view.chunkLength()).isEqualTo(17);
        assertThat(p.length).isEqualTo(12 + 4 + 20);
    }

    @Test
    void truncatedAndOverrunningPacketsAreRejected() {
        SctpPacketView view = new SctpPacketView();
        assertThat(view.wrap(null, 0, 0)).isFalse();
        assertThat(view.wrap(new byte[11], 0, 11)).isFalse();
        assertThat(view.wrap(CHROME_INIT, 0, CHROME_INIT.length - 1)).isFalse();
        assertThat(view.wrap(CHROME_INIT, 10, CHROME_INIT.length)).isFalse();
        byte[] lying = CHROME_INIT.clone();
        lying[15] = (byte) 0xff; // chunk length past the end
        Crc32c.write(lying, 0, lying.length);
        assertThat(view.wrap(lying, 0, lying.length)).isFalse();
    }
}
