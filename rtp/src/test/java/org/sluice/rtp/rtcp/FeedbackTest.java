package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackTest {

    private final NackView nack = new NackView();

    @Test
    void parsesPionNack() {
        // pion/rtcp transport_layer_nack_test.go "valid": PID 0xAAAA, BLP 0x5555.
        ByteBuf b = Bytes.buf(0x81, 0xcd, 0x00, 0x03, 0x90, 0x2f, 0x9e, 0x2e, 0x90, 0x2f, 0x9e, 0x2e,
                0xaa, 0xaa, 0x55, 0x55);
        try {
            assertThat(nack.wrap(b, 0, 16)).isTrue();
            assertThat(nack.senderSsrc()).isEqualTo(0x902f9e2eL);
            assertThat(nack.mediaSsrc()).isEqualTo(0x902f9e2eL);
            assertThat(nack.pairCount()).isEqualTo(1);
            assertThat(nack.pid(0)).isEqualTo(0xaaaa);
            assertThat(nack.blp(0)).isEqualTo(0x5555);
            List<Integer> lost = new ArrayList<>();
            nack.forEachLost(lost::add);
            // 0x5555 sets bits 0,2,...,14: PID+1, PID+3, ..., PID+15
            assertThat(lost).containsExactly(0xaaaa, 0xaaab, 0xaaad, 0xaaaf, 0xaab1, 0xaab3, 0xaab5, 0xaab7,
                    0xaab9);
            assertThat(nack.lostCount()).isEqualTo(9);
        } finally {
            b.release();
        }
    }

    @Test
    void nackWriterPacksLikePionPairGeneration() {
        // Expected pairs from pion/rtcp TestTransportLayerNackPairGeneration.
        assertPairs(new int[] {100}, 100, 0x0);
        assertPairs(new int[] {100, 101, 105, 115}, 100, 0x4011);
        assertPairs(new int[] {100, 117, 500, 501, 502}, 100, 0, 117, 0, 500, 0x3);
    }

    @Test
    void nackWriterHandlesWrapAndBoundaryOfSixteen() {
        assertPairs(new int[] {65534, 65535, 0, 1}, 65534, 0b111);
        assertPairs(new int[] {10, 26, 27}, 10, 0x8000, 27, 0);
        assertPairs(new int[] {10, 10, 11}, 10, 0x1);
    }

    private void assertPairs(int[] lost, int... pidBlp) {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = NackWriter.write(out, 1, 2, lost, 0, lost.length);
            assertThat(n).isEqualTo(12 + 2 * pidBlp.length);
            ByteBuf exact = Bytes.exact(out);
            assertThat(nack.wrap(exact, 0, n)).isTrue();
            assertThat(nack.pairCount()).isEqualTo(pidBlp.length / 2);
            for (int i = 0; i < pidBlp.length / 2; i++) {
                assertThat(nack.pid(i)).isEqualTo(pidBlp[2 * i]);
                assertThat(nack.blp(i)).isEqualTo(pidBlp[2 * i + 1]);
            }
            exact.release();
        } finally {
            out.release();
        }
    }

    @Test
    void nackRoundTripOverRandomSortedLists() {
        SplittableRandom rnd = new SplittableRandom(4585);
        for (int round = 0; round < 2000; round++) {
            int start = rnd.nextInt(65536);
            TreeSet<Integer> offsets = new TreeSet<>();
            int count = 1 + rnd.nextInt(60);
            int spread = 1 + rnd.nextInt(400);
            while (offsets.size() < count) {
                offsets.add(rnd.nextInt(spread + count));
            }
            int[] lost = offsets.stream().mapToInt(o -> (start + o) & 0xFFFF).toArray();
            ByteBuf out = Unpooled.buffer();
            int n = NackWriter.write(out, 1, 2, lost, 0, lost.length);
            ByteBuf exact = Bytes.exact(out);
            assertThat(nack.wrap(exact, 0, n)).isTrue();
            List<Integer> got = new ArrayList<>();
            nack.forEachLost(got::add);
            assertThat(got).containsExactlyElementsOf(offsets.stream().map(o -> (start + o) & 0xFFFF).toList());
            // minimal: every pair starts at a number the previous pair could not cover
            for (int i = 1; i < nack.pairCount(); i++) {
                assertThat((nack.pid(i) - nack.pid(i - 1)) & 0xFFFF).isGreaterThan(16);
            }
            exact.release();
            out.release();
        }
    }

    @Test
    void pliRoundTripAndWrongFmt() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(PliView.write(out, 0x902f9e2eL, 0x900b1f3eL)).isEqualTo(12);
            // pion/rtcp picture_loss_indication_test.go "valid" bytes.
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(0x81, 0xce, 0x00, 0x02,
                    0x90, 0x2f, 0x9e, 0x2e, 0x90, 0x0b, 0x1f, 0x3e));
            PliView pli = new PliView();
            ByteBuf exact = Bytes.exact(out);
            assertThat(pli.wrap(exact, 0, 12)).isTrue();
            assertThat(pli.mediaSsrc()).isEqualTo(0x900b1f3eL);
            exact.setByte(0, 0x84);
            assertThat(pli.wrap(exact, 0, 12)).isFalse();
            exact.release();
        } finally {
            out.release();
        }
    }

    @Test
    void parsesPionFirAndWritesIt() {
        // pion/rtcp full_intra_request_test.go "also valid".
        int[] bytes = {0x84, 0xce, 0x00, 0x06, 0, 0, 0, 0, 0x4b, 0xc4, 0xfc, 0xb4,
            0x12, 0x34, 0x56, 0x78, 0x42, 0, 0, 0, 0x98, 0x76, 0x54, 0x32, 0x57, 0, 0, 0};
        ByteBuf b = Bytes.buf(bytes);
        ByteBuf out = Unpooled.buffer();
        try {
            FirView fir = new FirView();
            assertThat(fir.wrap(b, 0, b.capacity())).isTrue();
            assertThat(fir.mediaSsrc()).isEqualTo(0x4bc4fcb4L);
            assertThat(fir.entryCount()).isEqualTo(2);
            assertThat(fir.entrySsrc(0)).isEqualTo(0x12345678L);
            assertThat(fir.entrySequenceNumber(0)).isEqualTo(0x42);
            assertThat(fir.entrySsrc(1)).isEqualTo(0x98765432L);
            assertThat(fir.entrySequenceNumber(1)).isEqualTo(0x57);
            // pion "wrong length": FCI of 4 bytes.
            ByteBuf shortFci = Bytes.buf(0x84, 0xce, 0x00, 0x03, 0, 0, 0, 0, 0x4b, 0xc4, 0xfc, 0xb4,
                    0x12, 0x34, 0x56, 0x78);
            assertThat(fir.wrap(shortFci, 0, 16)).isFalse();
            shortFci.release();
            int n = FirView.write(out, 0, new long[] {0x12345678L, 0x98765432L}, new int[] {0x42, 0x57});
            assertThat(n).isEqualTo(28);
            byte[] expected = Bytes.array(bytes);
            expected[8] = expected[9] = expected[10] = expected[11] = 0; // RFC 5104: media SSRC 0
            assertThat(Bytes.readable(out)).isEqualTo(expected);
        } finally {
            b.release();
            out.release();
        }
    }

    // pion/rtcp receiver_estimated_maximum_bitrate_test.go: real data sent by Chrome.
    private static final int[] CHROME_REMB = {143, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 82, 69, 77, 66,
        1, 26, 32, 223, 72, 116, 237, 22};

    @Test
    void parsesChromeRemb() {
        ByteBuf b = Bytes.buf(CHROME_REMB);
        try {
            RembView remb = new RembView();
            assertThat(remb.wrap(b, 0, b.capacity())).isTrue();
            assertThat(remb.senderSsrc()).isEqualTo(1);
            assertThat(remb.exponent()).isEqualTo(6);
            assertThat(remb.mantissa()).isEqualTo(139487);
            assertThat(remb.bitrateBps()).isEqualTo(8927168);
            assertThat(remb.ssrcCount()).isEqualTo(1);
            assertThat(remb.ssrc(0)).isEqualTo(1215622422L);
        } finally {
            b.release();
        }
    }

    @Test
    void writesRembWithTheSmallestExponentThatFits() {
        ByteBuf out = Unpooled.buffer();
        try {
            int n = RembView.write(out, 1, 8927168, new long[] {1215622422L});
            assertThat(n).isEqualTo(24);
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(CHROME_REMB));
        } finally {
            out.release();
        }
        assertThat(RembView.exponentFor(0)).isZero();
        assertThat(RembView.exponentFor(0x3FFFF)).isZero();
        assertThat(RembView.exponentFor(0x40000)).isEqualTo(1);
        assertThat(RembView.exponentFor(8927167)).isEqualTo(6);
        assertThat(RembView.exponentFor(Long.MAX_VALUE)).isEqualTo(45);
        SplittableRandom rnd = new SplittableRandom(5);
        RembView remb = new RembView();
        for (int i = 0; i < 5000; i++) {
            long bps = rnd.nextLong(1L << rnd.nextInt(1, 63));
            ByteBuf o = Unpooled.buffer();
            RembView.write(o, 9, bps, new long[0]);
            ByteBuf exact = Bytes.exact(o);
            assertThat(remb.wrap(exact, 0, exact.capacity())).isTrue();
            int exp = RembView.exponentFor(bps);
            assertThat(remb.bitrateBps()).isEqualTo((bps >>> exp) << exp);
            assertThat(remb.mantissa()).isLessThanOrEqualTo(0x3FFFF);
            exact.release();
            o.release();
        }
    }

    @Test
    void rembOverflowingSixtyFourBitsIsRejectedAsLibwebrtcDoes() {
        // pion/rtcp TestReceiverEstimatedMaximumBitrateOverflow: mantissa 0x3FFFF, exponent 63.
        ByteBuf b = Bytes.buf(143, 206, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 82, 69, 77, 66, 0, 255, 255, 255);
        try {
            RembView remb = new RembView();
            assertThat(remb.wrap(b, 0, 20)).isFalse();
            assertThat(remb.invalidReason()).isEqualTo(RembView.BITRATE_OVERFLOW);
        } finally {
            b.release();
        }
    }

    /** libwebrtc's remb_unittest.cc packet: sender 0x12345678, three SSRCs, 0x3fb93 x 2^1 = 522022 bit/s. */
    private static final int[] LIBWEBRTC_REMB = {0x8f, 206, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78,
        0x00, 0x00, 0x00, 0x00, 'R', 'E', 'M', 'B', 0x03, 0x07, 0xfb, 0x93, 0x23, 0x45, 0x67, 0x89,
        0x23, 0x45, 0x67, 0x8a, 0x23, 0x45, 0x67, 0x8b};

    @Test
    void parsesAndWritesLibwebrtcsRembVector() {
        ByteBuf b = Bytes.buf(LIBWEBRTC_REMB);
        ByteBuf out = Unpooled.buffer();
        try {
            RembView remb = new RembView();
            assertThat(remb.wrap(b, 0, b.capacity())).isTrue();
            assertThat(remb.senderSsrc()).isEqualTo(0x12345678L);
            assertThat(remb.bitrateBps()).isEqualTo(522_022);
            assertThat(remb.ssrcCount()).isEqualTo(3);
            assertThat(remb.ssrc(2)).isEqualTo(0x2345678bL);
            RembView.write(out, 0x12345678L, 522_022, new long[] {0x23456789L, 0x2345678aL, 0x2345678bL});
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(LIBWEBRTC_REMB));
            // One SSRC more than the length covers: refused, not read past the packet.
            b.setByte(16, 4);
            assertThat(remb.wrap(b, 0, b.capacity())).isFalse();
        } finally {
            b.release();
            out.release();
        }
    }
}
