package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XrViewTest {

    /** An XR packet with one RRTR block, laid out by hand after RFC 3611 §2 and §4.4. */
    private static final byte[] RRTR = Bytes.array(
            0x80, 207, 0x00, 0x04,             // V=2, PT=XR, length 4 (20 bytes)
            0x12, 0x34, 0x56, 0x78,            // SSRC of the sender
            0x04, 0x00, 0x00, 0x02,            // BT=4, reserved, block length 2
            0xE1, 0x23, 0x45, 0x67,            // NTP timestamp, most significant word
            0x89, 0xAB, 0xCD, 0xEF);           // NTP timestamp, least significant word

    /** An XR packet with one DLRR block of one sub-block, after RFC 3611 §4.5. */
    private static final byte[] DLRR = Bytes.array(
            0x80, 207, 0x00, 0x05,             // length 5 (24 bytes)
            0x9A, 0xBC, 0xDE, 0xF0,            // SSRC of the sender
            0x05, 0x00, 0x00, 0x03,            // BT=5, reserved, block length 3
            0x12, 0x34, 0x56, 0x78,            // SSRC_1
            0x45, 0x67, 0x89, 0xAB,            // last RR
            0x00, 0x05, 0x40, 0x00);           // delay since last RR: 5.25 s

    @Test
    void writerProducesTheHandBuiltRrtr() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(XrWriter.writeRrtr(out, 0x12345678L, 0xE1234567_89ABCDEFL)).isEqualTo(RRTR.length);
            assertThat(Bytes.readable(out)).isEqualTo(RRTR);
        } finally {
            out.release();
        }
    }

    @Test
    void writerProducesTheHandBuiltDlrr() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(XrWriter.writeDlrr(out, 0x9ABCDEF0L, 0x12345678L, 0x456789ABL, 0x54000L))
                    .isEqualTo(DLRR.length);
            assertThat(Bytes.readable(out)).isEqualTo(DLRR);
        } finally {
            out.release();
        }
    }

    @Test
    void readsRrtr() {
        ByteBuf buf = Unpooled.wrappedBuffer(RRTR);
        XrView xr = new XrView();
        assertThat(xr.wrap(buf, 0, RRTR.length)).isTrue();
        assertThat(xr.invalidReason()).isNull();
        assertThat(xr.senderSsrc()).isEqualTo(0x12345678L);
        assertThat(xr.blockCount()).isEqualTo(1);
        assertThat(xr.nextBlock()).isTrue();
        assertThat(xr.blockType()).isEqualTo(XrView.BT_RRTR);
        assertThat(xr.isRrtr()).isTrue();
        assertThat(xr.blockLength()).isEqualTo(12);
        assertThat(xr.blockOffset()).isEqualTo(8);
        assertThat(xr.rrtrNtpTimestamp()).isEqualTo(0xE1234567_89ABCDEFL);
        assertThat(xr.rrtrNtpMiddle32()).isEqualTo(0x456789ABL);
        assertThat(xr.dlrrCount()).isZero();
        assertThat(xr.dlrrSsrc(0)).isEqualTo(-1);
        assertThat(xr.nextBlock()).isFalse();
        assertThat(xr.blockType()).isEqualTo(-1);
        assertThat(xr.rrtrNtpTimestamp()).isZero();
        assertThat(xr.findRrtr()).isTrue();
        assertThat(xr.rrtrNtpMiddle32()).isEqualTo(0x456789ABL);
        assertThat(xr.findDlrr(0x12345678L)).isEqualTo(-1);
    }

    @Test
    void readsDlrrAndItsRoundTrip() {
        ByteBuf buf = Unpooled.wrappedBuffer(DLRR);
        XrView xr = new XrView();
        assertThat(xr.wrap(buf, 0, DLRR.length)).isTrue();
        assertThat(xr.senderSsrc()).isEqualTo(0x9ABCDEF0L);
        assertThat(xr.findDlrr(0x12345678L)).isZero();
        assertThat(xr.dlrrCount()).isEqualTo(1);
        assertThat(xr.dlrrSsrc(0)).isEqualTo(0x12345678L);
        assertThat(xr.dlrrLastRr(0)).isEqualTo(0x456789ABL);
        assertThat(xr.dlrrDelaySinceLastRr(0)).isEqualTo(0x54000L);
        assertThat(xr.dlrrLastRr(1)).isEqualTo(-1);
        assertThat(xr.dlrrLastRr(-1)).isEqualTo(-1);
        assertThat(xr.isRrtr()).isFalse();
        assertThat(xr.findRrtr()).isFalse();
        assertThat(xr.findDlrr(1)).isEqualTo(-1);
        // the RRTR of the other test came back 6.125 s after LRR with 5.25 s held: 0.875 s
        assertThat(xr.findDlrr(0x12345678L)).isZero();
        long rtt = RoundTripTime.fromReportBlock(0x456789ABL + 0x6_2000L, xr.dlrrLastRr(0) & 0xFFFF_FFFFL, 0x54000L);
        assertThat(rtt).isEqualTo(875_000_000L);
    }

    @Test
    void walksOverUnknownBlocksAndFindsSeveralSubBlocks() {
        ByteBuf buf = Bytes.buf(
                0xA0, 207, 0x00, 0x10,                   // padding bit, length 16 (68 bytes)
                0x00, 0x00, 0x00, 0x07,                  // sender
                0x01, 0x33, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8,      // BT=1 (loss RLE), unknown here
                0x05, 0x00, 0x00, 0x06,                  // DLRR with two sub-blocks
                0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
                0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6,
                0x04, 0x00, 0x00, 0x02, 0, 0, 0, 9, 0, 0, 0, 10,      // RRTR
                0x2A, 0x00, 0x00, 0x00,                  // BT=42, empty
                0, 0, 0, 4);                             // 4 bytes of padding
        XrView xr = new XrView();
        assertThat(xr.wrap(buf, 0, buf.capacity())).isTrue();
        assertThat(xr.blockCount()).isEqualTo(4);
        assertThat(xr.nextBlock()).isTrue();
        assertThat(xr.blockType()).isEqualTo(1);
        assertThat(xr.blockTypeSpecific()).isEqualTo(0x33);
        assertThat(xr.nextBlock()).isTrue();
        assertThat(xr.dlrrCount()).isEqualTo(2);
        assertThat(xr.dlrrDelaySinceLastRr(1)).isEqualTo(6);
        assertThat(xr.nextBlock()).isTrue();
        assertThat(xr.rrtrNtpTimestamp()).isEqualTo(0x9_0000000AL);
        assertThat(xr.nextBlock()).isTrue();
        assertThat(xr.blockType()).isEqualTo(42);
        assertThat(xr.blockLength()).isEqualTo(4);
        assertThat(xr.nextBlock()).isFalse();
        assertThat(xr.findDlrr(4)).isEqualTo(1);
        assertThat(xr.dlrrLastRr(1)).isEqualTo(5);
        assertThat(xr.findRrtr()).isTrue();
    }

    @Test
    void anXrWithoutBlocksIsValid() {
        ByteBuf buf = Bytes.buf(0x80, 207, 0x00, 0x01, 0, 0, 0, 1);
        XrView xr = new XrView();
        assertThat(xr.wrap(buf, 0, 8)).isTrue();
        assertThat(xr.blockCount()).isZero();
        assertThat(xr.nextBlock()).isFalse();
    }

    @Test
    void rejectsMalformedPackets() {
        XrView xr = new XrView();
        assertThat(xr.nextBlock()).isFalse(); // never wrapped
        assertThat(xr.wrap(null, 0, 0)).isFalse();
        assertThat(xr.wrap(Bytes.buf(0x80, 206, 0x00, 0x01, 0, 0, 0, 1), 0, 8)).isFalse(); // not XR
        assertThat(xr.wrap(Bytes.buf(0x80, 207, 0x00, 0x00), 0, 4)).isFalse();
        assertThat(xr.invalidReason()).isEqualTo(XrView.TOO_SHORT);
        assertThat(xr.senderSsrc()).isEqualTo(-1);
        assertThat(xr.wrap(Bytes.buf(0x80, 207, 0x00, 0x02, 0, 0, 0, 1, 0x04, 0, 0, 0x02), 0, 12)).isFalse();
        assertThat(xr.invalidReason()).isEqualTo(XrView.BLOCK_PAST_END);
        assertThat(xr.nextBlock()).isFalse();
        assertThat(xr.wrap(Bytes.buf(0x80, 207, 0x00, 0x03, 0, 0, 0, 1, 0x04, 0, 0, 0x01, 0, 0, 0, 0), 0, 16))
                .isFalse();
        assertThat(xr.invalidReason()).isEqualTo(XrView.BAD_RRTR);
        assertThat(xr.wrap(Bytes.buf(0x80, 207, 0x00, 0x03, 0, 0, 0, 1, 0x05, 0, 0, 0x01, 0, 0, 0, 0), 0, 16))
                .isFalse();
        assertThat(xr.invalidReason()).isEqualTo(XrView.BAD_DLRR);
        // padding that leaves half a block header
        assertThat(xr.wrap(Bytes.buf(0xA0, 207, 0x00, 0x02, 0, 0, 0, 1, 0x2A, 0, 0, 0x02), 0, 12)).isFalse();
        assertThat(xr.invalidReason()).isEqualTo(XrView.BLOCK_PAST_END);
        // a good packet after a bad one reads normally again
        assertThat(xr.wrap(Unpooled.wrappedBuffer(RRTR), 0, RRTR.length)).isTrue();
        assertThat(xr.findRrtr()).isTrue();
    }

    @Test
    void compoundIteratorDeliversXrAsAnUnknownTypeTheViewReads() {
        ByteBuf buf = Unpooled.buffer();
        try {
            ReportWriter.writeReceiverReport(buf, 7, java.util.List.of());
            XrWriter.writeRrtr(buf, 7, 0x1_0000_0000L);
            XrWriter.writeDlrr(buf, 7, 8, 9, 10);
            RtcpCompoundIterator it = new RtcpCompoundIterator(true);
            XrView xr = new XrView();
            int xrs = 0;
            assertThat(it.wrap(buf)).isTrue();
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.XR) {
                    xrs++;
                    assertThat(xr.wrap(buf, it.offset(), it.length())).isTrue();
                    assertThat(xr.senderSsrc()).isEqualTo(7);
                }
            }
            assertThat(it.invalidReason()).isNull();
            assertThat(xrs).isEqualTo(2);
            assertThat(xr.findDlrr(8)).isZero();
            assertThat(xr.dlrrDelaySinceLastRr(0)).isEqualTo(10);
        } finally {
            buf.release();
        }
    }
}
