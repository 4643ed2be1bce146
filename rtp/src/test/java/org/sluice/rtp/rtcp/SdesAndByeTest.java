package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SdesAndByeTest {

    // Two chunks "A" and "BCD": chunk bytes from pion/rtcp source_description_test.go ("two chunks");
    // pion's test header carries a byte count in the length field, here it is the RFC 3550 value 5.
    private static final int[] TWO_CHUNKS = {
        0x82, 0xca, 0x00, 0x05,
        0x01, 0x02, 0x03, 0x04,
        0x01, 0x01, 0x41, 0x00,
        0x05, 0x06, 0x07, 0x08,
        0x01, 0x03, 0x42, 0x43, 0x44, 0x00, 0x00, 0x00,
    };

    private final SdesView sdes = new SdesView();

    @Test
    void parsesTwoChunksAndFindsCnamesWithoutCopying() {
        ByteBuf b = Bytes.buf(TWO_CHUNKS);
        try {
            assertThat(sdes.wrap(b, 0, b.capacity())).isTrue();
            assertThat(sdes.chunkCount()).isEqualTo(2);
            assertThat(sdes.findCname(0x05060708L)).isTrue();
            assertThat(sdes.foundOffset()).isEqualTo(18);
            assertThat(sdes.foundLength()).isEqualTo(3);
            assertThat(sdes.cname(0x01020304L)).isEqualTo("A");
            assertThat(sdes.cname(0x05060708L)).isEqualTo("BCD");
            assertThat(sdes.cname(0x99L)).isNull();
            sdes.startChunks();
            assertThat(sdes.nextChunk()).isTrue();
            assertThat(sdes.chunkSsrc()).isEqualTo(0x01020304L);
            assertThat(sdes.nextItem()).isTrue();
            assertThat(sdes.itemType()).isEqualTo(SdesView.CNAME);
            assertThat(sdes.nextItem()).isFalse();
            assertThat(sdes.nextChunk()).isTrue();
            assertThat(sdes.nextChunk()).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void rejectsMissingEndAndItemsPastTheEnd() {
        // pion "no end" content (CNAME "A" without END), framed as a valid 12-byte packet.
        ByteBuf noEnd = Bytes.buf(0x81, 0xca, 0x00, 0x02, 0, 0, 0, 0, 0x01, 0x02, 0x41, 0x42);
        ByteBuf past = Bytes.buf(0x81, 0xca, 0x00, 0x02, 0, 0, 0, 0, 0x01, 0x09, 0x41, 0x42);
        try {
            assertThat(sdes.wrap(noEnd, 0, 12)).isFalse();
            assertThat(sdes.invalidReason()).isEqualTo(SdesView.MISSING_END);
            assertThat(sdes.wrap(past, 0, 12)).isFalse();
            assertThat(sdes.invalidReason()).isEqualTo(SdesView.CHUNK_PAST_END);
            assertThat(sdes.nextChunk()).isFalse();
        } finally {
            noEnd.release();
            past.release();
        }
    }

    @Test
    void cnameWriterTerminatesAndPadsTo32Bits() {
        for (int len = 0; len <= 12; len++) {
            String cname = "abcdefghijkl".substring(0, len);
            ByteBuf out = Unpooled.buffer();
            int n = SdesWriter.writeCname(out, 0x01020304L, cname);
            assertThat(n % 4).isZero();
            // text + at least one null octet, no more than needed
            assertThat(n).isEqualTo(8 + ((2 + len + 1 + 3) & ~3));
            assertThat(out.getByte(n - 1)).isZero();
            ByteBuf exact = Bytes.exact(out);
            assertThat(sdes.wrap(exact, 0, n)).isTrue();
            assertThat(sdes.cname(0x01020304L)).isEqualTo(cname);
            exact.release();
            out.release();
        }
    }

    @Test
    void cnameWriterByteExact() {
        ByteBuf out = Unpooled.buffer();
        try {
            SdesWriter.writeCnames(out, new long[] {0x01020304L, 0x05060708L}, new String[] {"A", "BCD"});
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(TWO_CHUNKS));
        } finally {
            out.release();
        }
    }

    @Test
    void byeRoundTripWithAndWithoutReason() {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = ByeWriter.write(out, new long[] {0x902f9e2eL, 0xbc5e9a40L}, "camera off");
            // 4 + 8 + (1 + 10 -> 12)
            assertThat(n).isEqualTo(24);
            int n2 = ByeWriter.write(out, new long[] {7}, null);
            assertThat(n2).isEqualTo(8);
            assertThat(Bytes.readable(out.slice(24, 8))).isEqualTo(Bytes.array(0x81, 0xcb, 0, 1, 0, 0, 0, 7));
            ByteBuf exact = Bytes.exact(out);
            ByeView bye = new ByeView();
            assertThat(bye.wrap(exact, 0, n)).isTrue();
            assertThat(bye.ssrcCount()).isEqualTo(2);
            assertThat(bye.ssrc(1)).isEqualTo(0xbc5e9a40L);
            assertThat(bye.reason()).isEqualTo("camera off");
            assertThat(bye.wrap(exact, n, n2)).isTrue();
            assertThat(bye.hasReason()).isFalse();
            assertThat(bye.ssrc(0)).isEqualTo(7);
            exact.release();
        } finally {
            out.release();
        }
    }

    @Test
    void byeReasonPastEndIsRejected() {
        ByteBuf b = Bytes.buf(0x81, 0xcb, 0, 2, 0, 0, 0, 7, 9, 'a', 'b', 'c');
        try {
            ByeView bye = new ByeView();
            assertThat(bye.wrap(b, 0, 12)).isFalse();
            assertThat(bye.invalidReason()).isEqualTo(ByeView.REASON_PAST_END);
        } finally {
            b.release();
        }
    }
}
