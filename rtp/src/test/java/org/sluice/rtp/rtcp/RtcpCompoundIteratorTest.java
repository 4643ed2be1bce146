package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpCompoundIteratorTest {

    private final RtcpCompoundIterator it = new RtcpCompoundIterator();

    /** SR + SDES + XR (unknown) + APP (unknown) + BYE + PLI, all in one datagram. */
    private static ByteBuf compound() {
        ByteBuf b = Unpooled.buffer();
        ReportWriter.writeSenderReport(b, 0x11111111L, 0x0102030405060708L, 1234, 10, 1000,
                List.of(new ReportBlock(0x22222222L, 5, -3, 70000, 12, 0x0A0B0C0DL, 65536)));
        SdesWriter.writeCname(b, 0x11111111L, "sluice@example");
        // XR (RFC 3611) with one receiver reference time report block: skipped as unknown.
        b.writeBytes(Bytes.array(0x80, 207, 0x00, 0x04, 0x11, 0x11, 0x11, 0x11,
                0x04, 0x00, 0x00, 0x02, 0xE0, 0x20, 0xA2, 0xA9, 0x52, 0xA5, 0x3F, 0xC0));
        // APP (RFC 3550 §6.7) named "TEST" with 4 bytes of data.
        b.writeBytes(Bytes.array(0x81, 204, 0x00, 0x03, 0x11, 0x11, 0x11, 0x11, 'T', 'E', 'S', 'T', 1, 2, 3, 4));
        ByeWriter.write(b, new long[] {0x11111111L}, "bye");
        PliView.write(b, 0x11111111L, 0x33333333L);
        ByteBuf exact = Bytes.exact(b);
        b.release();
        return exact;
    }

    @Test
    void walksEveryPacketOfACompoundAndReportsUnknownOnes() {
        ByteBuf b = compound();
        try {
            assertThat(it.wrap(b)).isTrue();
            int[] types = new int[8];
            boolean[] known = new boolean[8];
            int n = 0;
            int total = 0;
            while (it.next()) {
                types[n] = it.packetType();
                known[n] = it.isKnownType();
                assertThat(it.senderSsrc()).isEqualTo(0x11111111L);
                assertThat(it.offset()).isEqualTo(total);
                total += it.length();
                n++;
            }
            assertThat(it.invalidReason()).isNull();
            assertThat(total).isEqualTo(b.capacity());
            assertThat(n).isEqualTo(6);
            assertThat(types).startsWith(200, 202, 207, 204, 203, 206);
            assertThat(known).startsWith(true, true, false, false, true, true);
        } finally {
            b.release();
        }
    }

    @Test
    void malformedPacketEndsIterationButEarlierPacketsStayUsable() {
        ByteBuf good = compound();
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(good, 0, 28 + 24); // the SR only
        b.writeBytes(Bytes.array(0x40, 201, 0, 1, 0, 0, 0, 1)); // version 1
        good.release();
        ByteBuf exact = Bytes.exact(b);
        b.release();
        try {
            SenderReportView sr = new SenderReportView();
            assertThat(it.wrap(exact)).isTrue();
            assertThat(it.next()).isTrue();
            assertThat(sr.wrap(exact, it.offset(), it.length())).isTrue();
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.BAD_VERSION);
            assertThat(sr.senderSsrc()).isEqualTo(0x11111111L);
            assertThat(sr.blockCumulativeLost(0)).isEqualTo(-3);
        } finally {
            exact.release();
        }
    }

    @Test
    void lengthPastTheDatagramIsMalformed() {
        ByteBuf b = Bytes.buf(0x80, 201, 0, 1, 0, 0, 0, 1, 0x80, 201, 0, 5, 0, 0, 0, 2);
        try {
            it.wrap(b);
            assertThat(it.next()).isTrue();
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.LENGTH_PAST_END);
        } finally {
            b.release();
        }
    }

    @Test
    void truncatedHeaderAndEmptyRegion() {
        ByteBuf b = Bytes.buf(0x80, 201, 0, 1, 0, 0, 0, 1, 0x80, 201);
        try {
            it.wrap(b);
            assertThat(it.next()).isTrue();
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.TRUNCATED_HEADER);
            assertThat(it.wrap(b, 0, 0)).isFalse();
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.EMPTY);
        } finally {
            b.release();
        }
    }

    @Test
    void paddingIsAcceptedWhenItsCountFitsAndRejectedOtherwise() {
        // RR with 4 bytes of padding (count 4), then a bad one with count 0.
        ByteBuf ok = Bytes.buf(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4);
        ByteBuf zero = Bytes.buf(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0);
        ByteBuf tooBig = Bytes.buf(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 13);
        try {
            it.wrap(ok);
            assertThat(it.next()).isTrue();
            assertThat(it.paddingLength()).isEqualTo(4);
            ReceiverReportView rr = new ReceiverReportView();
            assertThat(rr.wrap(ok, 0, 12)).isTrue();
            it.wrap(zero);
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.BAD_PADDING);
            it.wrap(tooBig);
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isEqualTo(RtcpCompoundIterator.BAD_PADDING);
        } finally {
            ok.release();
            zero.release();
            tooBig.release();
        }
    }

    @Test
    void reducedSizeSinglePacketsNeedNoLeadingReport() {
        // RFC 5506: a lone PLI, a lone NACK, a lone REMB are each a whole datagram.
        ByteBuf b = Unpooled.buffer();
        NackWriter.write(b, 1, 2, new int[] {7, 9}, 0, 2);
        ByteBuf exact = Bytes.exact(b);
        b.release();
        try {
            assertThat(it.wrap(exact)).isTrue();
            assertThat(it.next()).isTrue();
            assertThat(it.packetType()).isEqualTo(RtcpPacketType.RTPFB);
            assertThat(it.countOrFmt()).isEqualTo(RtcpPacketType.FMT_NACK);
            assertThat(it.length()).isEqualTo(16);
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isNull();
        } finally {
            exact.release();
        }
    }

    @Test
    void strictModeAcceptsPaddingOnlyOnTheLastPacket() {
        // RR padded with 4 bytes, then an RR without padding.
        ByteBuf b = Bytes.buf(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 0x80, 201, 0, 1, 0, 0, 0, 2);
        ByteBuf last = Bytes.buf(0x80, 201, 0, 1, 0, 0, 0, 2, 0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4);
        try {
            RtcpCompoundIterator strict = new RtcpCompoundIterator(true);
            strict.wrap(b);
            assertThat(strict.next()).isFalse();
            assertThat(strict.invalidReason()).isEqualTo(RtcpCompoundIterator.PADDING_NOT_LAST);
            strict.wrap(last);
            assertThat(strict.next()).isTrue();
            assertThat(strict.next()).isTrue();
            assertThat(strict.next()).isFalse();
            assertThat(strict.invalidReason()).isNull();
            it.wrap(b);
            assertThat(it.next()).isTrue();
            assertThat(it.next()).isTrue();
            assertThat(it.invalidReason()).isNull();
        } finally {
            b.release();
            last.release();
        }
    }
}
