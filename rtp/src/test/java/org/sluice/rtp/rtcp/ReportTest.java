package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    // Sender report with one block; bytes from pion/rtcp sender_report_test.go ("valid"), except the
    // length field: pion's vector says 7 (an old pion ignored it) for 52 bytes; RFC 3550 makes it 12.
    private static final int[] PION_SR = {
        0x81, 0xc8, 0x00, 0x0c,
        0x90, 0x2f, 0x9e, 0x2e,
        0xda, 0x8b, 0xd1, 0xfc, 0xdd, 0xdd, 0xa0, 0x5a,
        0xaa, 0xf4, 0xed, 0xd5,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0xbc, 0x5e, 0x9a, 0x40,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x46, 0xe1,
        0x00, 0x00, 0x01, 0x11,
        0x09, 0xf3, 0x64, 0x32,
        0x00, 0x02, 0x4a, 0x79,
    };

    @Test
    void parsesPionSenderReport() {
        ByteBuf b = Bytes.buf(PION_SR);
        try {
            SenderReportView sr = new SenderReportView();
            assertThat(sr.wrap(b, 0, b.capacity())).isTrue();
            assertThat(sr.senderSsrc()).isEqualTo(0x902f9e2eL);
            assertThat(sr.ntpTimestamp()).isEqualTo(0xda8bd1fcdddda05aL);
            assertThat(sr.ntpMiddle32()).isEqualTo(0xd1fcddddL);
            assertThat(sr.rtpTimestamp()).isEqualTo(0xaaf4edd5L);
            assertThat(sr.packetCount()).isEqualTo(1);
            assertThat(sr.octetCount()).isEqualTo(2);
            assertThat(sr.reportCount()).isEqualTo(1);
            assertThat(sr.blockSsrc(0)).isEqualTo(0xbc5e9a40L);
            assertThat(sr.blockFractionLost(0)).isZero();
            assertThat(sr.blockCumulativeLost(0)).isZero();
            assertThat(sr.blockExtendedHighestSequence(0)).isEqualTo(0x46e1);
            assertThat(sr.blockJitter(0)).isEqualTo(273);
            assertThat(sr.blockLastSr(0)).isEqualTo(0x9f36432);
            assertThat(sr.blockDelaySinceLastSr(0)).isEqualTo(150137);
        } finally {
            b.release();
        }
    }

    @Test
    void writerReproducesPionSenderReport() {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = ReportWriter.writeSenderReport(out, 0x902f9e2eL, 0xda8bd1fcdddda05aL, 0xaaf4edd5L, 1, 2,
                    List.of(new ReportBlock(0xbc5e9a40L, 0, 0, 0x46e1, 273, 0x9f36432, 150137)));
            assertThat(n).isEqualTo(52);
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(PION_SR));
        } finally {
            out.release();
        }
    }

    @Test
    void pionBadCountInHeaderIsRejected() {
        int[] bad = PION_SR.clone();
        bad[0] = 0x82; // RC=2 but one block: pion "bad count in header"
        ByteBuf b = Bytes.buf(bad);
        try {
            SenderReportView sr = new SenderReportView();
            assertThat(sr.wrap(b, 0, b.capacity())).isFalse();
            assertThat(sr.invalidReason()).isEqualTo(SenderReportView.BLOCKS_PAST_END);
            ReceiverReportView rr = new ReceiverReportView();
            assertThat(rr.wrap(b, 0, PION_SR.length)).isFalse();
        } finally {
            b.release();
        }
    }

    @Test
    void receiverReportRoundTripsSignedCumulativeLostAndAllFields() {
        ByteBuf out = Unpooled.buffer();
        try {
            List<ReportBlock> blocks = List.of(
                    new ReportBlock(0xFFFFFFFFL, 255, -1, 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL),
                    new ReportBlock(2, 30, 12345, 99, 22, 92, 46),
                    new ReportBlock(3, 0, -9_000_000, 0, 0, 0, 0),
                    new ReportBlock(4, 1, 9_000_000, 1, 1, 1, 1));
            int n = ReportWriter.writeReceiverReport(out, 0xCAFEBABEL, blocks);
            assertThat(n).isEqualTo(8 + 4 * 24).isEqualTo(out.readableBytes());
            ByteBuf exact = Bytes.exact(out);
            ReceiverReportView rr = new ReceiverReportView();
            assertThat(rr.wrap(exact, 0, n)).isTrue();
            assertThat(rr.senderSsrc()).isEqualTo(0xCAFEBABEL);
            assertThat(rr.reportCount()).isEqualTo(4);
            assertThat(rr.blockSsrc(0)).isEqualTo(0xFFFFFFFFL);
            assertThat(rr.blockFractionLost(0)).isEqualTo(255);
            assertThat(rr.blockCumulativeLost(0)).isEqualTo(-1);
            assertThat(rr.blockExtendedHighestSequence(0)).isEqualTo(0xFFFFFFFFL);
            assertThat(rr.blockJitter(0)).isEqualTo(0xFFFFFFFFL);
            assertThat(rr.blockLastSr(0)).isEqualTo(0xFFFFFFFFL);
            assertThat(rr.blockDelaySinceLastSr(0)).isEqualTo(0xFFFFFFFFL);
            assertThat(rr.blockCumulativeLost(1)).isEqualTo(12345);
            assertThat(rr.blockCumulativeLost(2)).isEqualTo(-0x800000);
            assertThat(rr.blockCumulativeLost(3)).isEqualTo(0x7FFFFF);
            assertThat(rr.blockDelaySinceLastSr(1)).isEqualTo(46);
            exact.release();
        } finally {
            out.release();
        }
    }

    @Test
    void senderReportRoundTripWithoutBlocks() {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = ReportWriter.writeSenderReport(out, 1, 999, 555, 32, 11, List.of());
            assertThat(n).isEqualTo(28);
            SenderReportView sr = new SenderReportView();
            ByteBuf exact = Bytes.exact(out);
            assertThat(sr.wrap(exact, 0, n)).isTrue();
            assertThat(sr.ntpTimestamp()).isEqualTo(999);
            assertThat(sr.rtpTimestamp()).isEqualTo(555);
            assertThat(sr.packetCount()).isEqualTo(32);
            assertThat(sr.octetCount()).isEqualTo(11);
            assertThat(sr.reportCount()).isZero();
            exact.release();
        } finally {
            out.release();
        }
    }
}
