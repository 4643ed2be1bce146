package org.sluice.rtp.rtcp.twcc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.Bytes;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TransportFeedbackTest {

    // The vectors below are from pion/rtcp transport_layer_cc_test.go.
    /** "example1": one packet, run length chunk, 1-byte delta 148 ticks, 1 byte of padding. */
    private static final int[] PION_1 = {
        0xaf, 0xcd, 0x0, 0x5, 0xfa, 0x17, 0xfa, 0x17, 0x43, 0x3, 0x2f, 0xa0,
        0x0, 0x99, 0x0, 0x1, 0x3d, 0xe8, 0x2, 0x17, 0x20, 0x1, 0x94, 0x1,
    };
    /** "example4": seven received packets in one run length chunk, 3 bytes of padding. */
    private static final int[] PION_4 = {
        0xaf, 0xcd, 0x0, 0x7, 0xfa, 0x17, 0xfa, 0x17, 0x19, 0x3d, 0xd8, 0xbb,
        0x0, 0x4, 0x0, 0x7, 0x10, 0x63, 0x6e, 0x1, 0x20, 0x7, 0x4c, 0x24,
        0x24, 0x10, 0xc, 0xc, 0x10, 0x0, 0x0, 0x3,
    };
    /** Marshal "example5": a 1-bit status vector chunk of 14 statuses. */
    private static final int[] PION_5 = {
        0xaf, 0xcd, 0x0, 0x6, 0xfa, 0x17, 0xfa, 0x17, 0x19, 0x3d, 0xd8, 0xbb,
        0x0, 0x1, 0x0, 0xe, 0x10, 0x63, 0x6d, 0x0, 0xba, 0x0, 0x10, 0xc,
        0xc, 0x10, 0x0, 0x2,
    };
    /** Unmarshal "example6": a 2-bit vector with a large delta, then a run length chunk. */
    private static final int[] PION_6 = {
        0xaf, 0xcd, 0x0, 0x7, 0x9b, 0x74, 0xf6, 0x1f, 0x93, 0x71, 0xdc, 0xbc,
        0x85, 0x3c, 0x0, 0x9, 0x63, 0xf9, 0x16, 0xb3, 0xd5, 0x52, 0x0, 0x30,
        0x9b, 0xaa, 0x6a, 0xaa, 0x7b, 0x1, 0x9, 0x1,
    };

    private final TransportFeedbackView view = new TransportFeedbackView();

    private record Entry(int seq, int status, int delta, long arrivalUs) {
    }

    private List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        view.startPackets();
        while (view.nextPacket()) {
            out.add(new Entry(view.sequenceNumber(), view.status(), view.deltaTicks(),
                    view.isReceived() ? view.arrivalTimeUs() : -1));
        }
        return out;
    }

    @Test
    void parsesPionExample1() {
        ByteBuf b = Bytes.buf(PION_1);
        try {
            assertThat(view.wrap(b, 0, b.capacity())).isTrue();
            assertThat(view.senderSsrc()).isEqualTo(4195875351L);
            assertThat(view.mediaSsrc()).isEqualTo(1124282272L);
            assertThat(view.baseSequenceNumber()).isEqualTo(153);
            assertThat(view.packetStatusCount()).isEqualTo(1);
            assertThat(view.referenceTimeTicks()).isEqualTo(4057090);
            assertThat(view.feedbackPacketCount()).isEqualTo(23);
            assertThat(entries()).containsExactly(
                    new Entry(153, PacketStatus.RECEIVED_SMALL_DELTA, 148, 4057090L * 64000 + 37000));
        } finally {
            b.release();
        }
    }

    @Test
    void parsesPionExamples4And5And6() {
        ByteBuf b4 = Bytes.buf(PION_4);
        ByteBuf b5 = Bytes.buf(PION_5);
        ByteBuf b6 = Bytes.buf(PION_6);
        try {
            assertThat(view.wrap(b4, 0, b4.capacity())).isTrue();
            assertThat(entries()).extracting(Entry::delta).containsExactly(76, 36, 36, 16, 12, 12, 16);
            assertThat(entries()).extracting(Entry::seq).containsExactly(4, 5, 6, 7, 8, 9, 10);

            assertThat(view.wrap(b5, 0, b5.capacity())).isTrue();
            assertThat(view.receivedCount()).isEqualTo(4);
            assertThat(entries()).extracting(Entry::status).containsExactly(1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(entries()).extracting(Entry::delta).containsExactly(16, 12, 12, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0);

            assertThat(view.wrap(b6, 0, b6.capacity())).isTrue();
            assertThat(view.baseSequenceNumber()).isEqualTo(34108);
            assertThat(view.feedbackPacketCount()).isEqualTo(179);
            List<Entry> e = entries();
            assertThat(e).extracting(Entry::status).containsExactly(1, 1, 1, 1, 1, 0, 2, 0, 0);
            assertThat(e).extracting(Entry::delta).containsExactly(155, 170, 106, 170, 123, 0, 265, 0, 0);
            assertThat(e.get(6).arrivalUs()).isEqualTo(6551830L * 64000 + (155 + 170 + 106 + 170 + 123 + 265) * 250L);
        } finally {
            b4.release();
            b5.release();
            b6.release();
        }
    }

    @Test
    void pionTruncatedExamplesAreRejected() {
        // pion "example8" (run of 3 needs 3 deltas) and "example9" (run of 2 large deltas).
        ByteBuf b8 = Bytes.buf(0xaf, 0xcd, 0x0, 0x5, 0xfa, 0x17, 0xfa, 0x17, 0x43, 0x3, 0x2f, 0xa0,
                0x0, 0x99, 0x0, 0x3, 0x3d, 0xe8, 0x2, 0x17, 0x20, 0x3, 0x94, 0x1);
        ByteBuf b9 = Bytes.buf(0xaf, 0xcd, 0x0, 0x5, 0xfa, 0x17, 0xfa, 0x17, 0x43, 0x3, 0x2f, 0xa0,
                0x0, 0x99, 0x0, 0x2, 0x3d, 0xe8, 0x2, 0x17, 0x40, 0x2, 0x94, 0x1);
        try {
            assertThat(view.wrap(b8, 0, 24)).isFalse();
            assertThat(view.invalidReason()).isEqualTo(TransportFeedbackView.DELTAS_PAST_END);
            assertThat(view.nextPacket()).isFalse();
            assertThat(view.wrap(b9, 0, 24)).isFalse();
            assertThat(view.invalidReason()).isEqualTo(TransportFeedbackView.DELTAS_PAST_END);
        } finally {
            b8.release();
            b9.release();
        }
    }

    @Test
    void builderReproducesPionExamples1And4ByteForByte() {
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        ByteBuf out = Unpooled.buffer();
        try {
            long ref = 4057090L * 64000;
            builder.reset(0xfa17fa17L, 0x43032fa0L, 153, ref, 23);
            assertThat(builder.addReceived(153, ref + 37000)).isTrue();
            assertThat(builder.write(out)).isEqualTo(24);
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(PION_1));

            out.clear();
            ref = 1074030L * 64000;
            builder.reset(0xfa17fa17L, 0x193dd8bbL, 4, ref + 10_000, 1);
            int[] deltas = {76, 36, 36, 16, 12, 12, 16};
            long t = ref;
            for (int i = 0; i < deltas.length; i++) {
                t += deltas[i] * 250L;
                assertThat(builder.addReceived(4 + i, t)).isTrue();
            }
            assertThat(builder.write(out)).isEqualTo(32);
            assertThat(Bytes.readable(out)).isEqualTo(Bytes.array(PION_4));
        } finally {
            out.release();
        }
    }

    /** Builds one packet from (seq, arrival or NOT_RECEIVED) pairs and returns its chunk words. */
    private int[] chunksOf(int base, long[] arrivals) {
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        builder.reset(1, 2, base, 0, 0);
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] != TransportFeedbackSeries.NOT_RECEIVED) {
                assertThat(builder.addReceived(base + i, arrivals[i])).isTrue();
            }
        }
        ByteBuf out = Unpooled.buffer();
        builder.write(out);
        ByteBuf exact = Bytes.exact(out);
        out.release();
        assertThat(view.wrap(exact, 0, exact.capacity())).isTrue();
        int received = view.receivedCount();
        int bytes = 0;
        List<Entry> e = entries();
        for (Entry x : e) {
            bytes += x.status();
        }
        int chunkBytes = exact.capacity() - 20 - ((exact.getByte(0) & 0x20) != 0 ? exact.getUnsignedByte(exact.capacity() - 1) : 0) - bytes;
        int[] chunks = new int[chunkBytes / 2];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = exact.getUnsignedShort(20 + 2 * i);
        }
        assertThat(received).isPositive();
        exact.release();
        return chunks;
    }

    private static final long NR = TransportFeedbackSeries.NOT_RECEIVED;

    @Test
    void longRunsUseRunLengthChunks() {
        long[] arr = new long[100];
        for (int i = 0; i < arr.length; i++) {
            arr[i] = i * 1000L;
        }
        assertThat(chunksOf(10, arr)).containsExactly(0x2000 | 100);
    }

    @Test
    void mixedSmallAndLostUseOneBitVectorsOfFourteen() {
        long[] arr = new long[15];
        for (int i = 0; i < arr.length; i++) {
            arr[i] = i % 2 == 0 ? i * 1000L : NR;
        }
        // 14 statuses 1010...10 in a 1-bit vector, then the 15th (received) as a run of 1.
        assertThat(chunksOf(0, arr)).containsExactly(0x8000 | 0b10101010101010, 0x2001);
    }

    @Test
    void largeDeltasUseTwoBitVectorsOfSeven() {
        // small, large (300 ticks), small, lost, small, small, small, then a run of 3 small.
        long[] arr = {0, 75_000, 76_000, NR, 77_000, 78_000, 79_000, 80_000, 81_000, 82_000};
        assertThat(chunksOf(0, arr)).containsExactly(0xC000 | 0b01_10_01_00_01_01_01, 0x2003);
    }

    @Test
    void negativeDeltaTakesTwoBytesAndWrapsSequence() {
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        builder.reset(1, 2, 65534, 1_000_000, 9);
        assertThat(builder.addReceived(65534, 1_010_000)).isTrue();
        assertThat(builder.addReceived(1, 1_005_000)).isTrue(); // 65535 and 0 lost, arrives earlier
        assertThat(builder.addReceived(65535, 1_020_000)).isFalse(); // not newer
        ByteBuf out = Unpooled.buffer();
        builder.write(out);
        ByteBuf exact = Bytes.exact(out);
        out.release();
        try {
            assertThat(view.wrap(exact, 0, exact.capacity())).isTrue();
            assertThat(entries()).containsExactly(
                    new Entry(65534, 1, 200, 1_010_000),
                    new Entry(65535, 0, 0, -1),
                    new Entry(0, 0, 0, -1),
                    new Entry(1, 2, -20, 1_005_000));
        } finally {
            exact.release();
        }
    }

    @Test
    void deltaBeyondSixteenBitsStartsANewPacket() {
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        int[] seqs = {100, 101, 102, 103};
        long[] arr = {0, 1000, 1000 + 8_200_000, 1000 + 8_201_000};
        ByteBuf out = Unpooled.buffer();
        int packets = TransportFeedbackSeries.write(builder, out, 1, 2, 250, seqs, arr, 0, 4);
        ByteBuf exact = Bytes.exact(out);
        out.release();
        try {
            assertThat(packets).isEqualTo(2);
            RtcpCompoundIterator it = new RtcpCompoundIterator();
            it.wrap(exact);
            assertThat(it.next()).isTrue();
            assertThat(view.wrap(exact, it.offset(), it.length())).isTrue();
            assertThat(view.feedbackPacketCount()).isEqualTo(250);
            assertThat(entries()).extracting(Entry::seq).containsExactly(100, 101);
            assertThat(it.next()).isTrue();
            assertThat(view.wrap(exact, it.offset(), it.length())).isTrue();
            assertThat(view.feedbackPacketCount()).isEqualTo(251);
            assertThat(entries()).extracting(Entry::seq).containsExactly(102, 103);
            assertThat(entries().get(1).arrivalUs()).isEqualTo(8_202_000);
            assertThat(it.next()).isFalse();
            assertThat(it.invalidReason()).isNull();
        } finally {
            exact.release();
        }
    }

    @Test
    void maximumPacketSizeIsRespected() {
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(64);
        int n = 300;
        int[] seqs = new int[n];
        long[] arr = new long[n];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            seqs[i] = i;
            arr[i] = i * 5000L + rnd.nextInt(100_000);
        }
        ByteBuf out = Unpooled.buffer();
        int packets = TransportFeedbackSeries.write(builder, out, 1, 2, 0, seqs, arr, 0, n);
        ByteBuf exact = Bytes.exact(out);
        out.release();
        try {
            assertThat(packets).isGreaterThan(5);
            RtcpCompoundIterator it = new RtcpCompoundIterator();
            it.wrap(exact);
            int count = 0;
            int reported = 0;
            while (it.next()) {
                assertThat(it.length()).isLessThanOrEqualTo(64);
                assertThat(it.length() % 4).isZero();
                assertThat(view.wrap(exact, it.offset(), it.length())).isTrue();
                reported += view.packetStatusCount();
                count++;
            }
            assertThat(count).isEqualTo(packets);
            assertThat(reported).isEqualTo(n);
        } finally {
            exact.release();
        }
    }

    @Test
    void decodesTheDraftChunkExamples() {
        // draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3: run of 221 "not received".
        assertThat(TransportFeedbackView.capacity(0x00DD)).isEqualTo(221);
        assertThat(TransportFeedbackView.symbol(0x00DD, 0)).isEqualTo(PacketStatus.NOT_RECEIVED);
        // §3.1.4: 1-bit vector 0x9F1C = 0,1,1,1,1,1,0,0,0,1,1,1,0,0 (as in pion's expectation).
        int[] expected = {0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0};
        assertThat(TransportFeedbackView.capacity(0x9F1C)).isEqualTo(14);
        for (int i = 0; i < 14; i++) {
            assertThat(TransportFeedbackView.symbol(0x9F1C, i)).isEqualTo(expected[i]);
        }
        // The same chunks inside whole packets: 221 lost needs no deltas; 0x9F1C needs 8 one-byte deltas.
        ByteBuf lost = Bytes.buf(0x8f, 0xcd, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0x12, 0x34, 0x00, 221,
                0, 0, 1, 0, 0x00, 0xDD, 0, 0);
        ByteBuf vector = Bytes.buf(0x8f, 0xcd, 0x00, 0x07, 0, 0, 0, 1, 0, 0, 0, 2, 0x12, 0x34, 0x00, 14,
                0, 0, 1, 0, 0x9F, 0x1C, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0);
        try {
            assertThat(view.wrap(lost, 0, 24)).isTrue();
            assertThat(view.receivedCount()).isZero();
            assertThat(entries()).hasSize(221).allMatch(e -> e.status() == 0);
            assertThat(entries().get(220).seq()).isEqualTo(0x1234 + 220);
            assertThat(view.wrap(vector, 0, 32)).isTrue();
            assertThat(entries()).extracting(Entry::delta).containsExactly(0, 1, 2, 3, 4, 5, 0, 0, 0, 6, 7, 8, 0, 0);
            assertThat(view.wrap(vector, 0, 28)).isFalse();
        } finally {
            lost.release();
            vector.release();
        }
    }
}
