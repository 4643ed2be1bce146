package org.sluice.rtp.rtcp.twcc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.Bytes;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Property: parse(build(series)) gives back the series, over random series. */
class TransportFeedbackRoundTripTest {

    private static final int ROUNDS = 6000;

    @Test
    void parseOfBuildGivesBackEverySequenceNumberStatusAndArrivalTime() {
        SplittableRandom rnd = new SplittableRandom(0x7CC);
        TransportFeedbackBuilder[] builders = {
            new TransportFeedbackBuilder(40), new TransportFeedbackBuilder(100),
            new TransportFeedbackBuilder(300), new TransportFeedbackBuilder(1200),
        };
        TransportFeedbackView view = new TransportFeedbackView();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        int totalPackets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int n = 1 + rnd.nextInt(300);
            int[] seqs = new int[n];
            long[] arrivals = new long[n];
            boolean aligned = rnd.nextBoolean();
            int seq = rnd.nextInt(65536);
            long t = rnd.nextLong(-(1L << 36), 1L << 38);
            int lastReceived = -1;
            for (int i = 0; i < n; i++) {
                seqs[i] = seq;
                int r = rnd.nextInt(100);
                if (r < 2) {
                    t += rnd.nextLong(8_000_000, 20_000_000); // beyond a 16-bit delta
                } else if (r < 7) {
                    t -= rnd.nextInt(60_000); // reordered arrival: negative delta
                } else if (r < 15) {
                    t += rnd.nextInt(70_000, 200_000); // large positive delta
                } else {
                    t += rnd.nextInt(20_000);
                }
                if (rnd.nextInt(5) == 0) {
                    arrivals[i] = TransportFeedbackSeries.NOT_RECEIVED;
                } else {
                    arrivals[i] = aligned ? Math.floorDiv(t, 250) * 250 : t;
                    lastReceived = i;
                }
                seq = (seq + (rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(4) : 1)) & 0xFFFF;
            }
            TransportFeedbackBuilder builder = builders[rnd.nextInt(builders.length)];
            ByteBuf out = Unpooled.buffer();
            int packets = TransportFeedbackSeries.write(builder, out, 0x1234, 0x5678, 7, seqs, arrivals, 0, n);
            ByteBuf exact = Bytes.exact(out);
            out.release();
            try {
                if (lastReceived < 0) {
                    assertThat(packets).isZero();
                    continue;
                }
                totalPackets += packets;
                assertThat(it.wrap(exact)).isTrue();
                int expectSeq = seqs[0];
                int input = 0;
                int seen = 0;
                while (it.next()) {
                    assertThat(it.length()).isLessThanOrEqualTo(1200);
                    assertThat(view.wrap(exact, it.offset(), it.length())).as(view.invalidReason()).isTrue();
                    assertThat(view.feedbackPacketCount()).isEqualTo((7 + seen) & 0xFF);
                    view.startPackets();
                    while (view.nextPacket()) {
                        assertThat(view.sequenceNumber()).isEqualTo(expectSeq);
                        while (input < n && seqs[input] != expectSeq && isBefore(seqs[input], expectSeq)) {
                            input++;
                        }
                        boolean listed = input < n && seqs[input] == expectSeq;
                        boolean received = listed && arrivals[input] != TransportFeedbackSeries.NOT_RECEIVED;
                        assertThat(view.isReceived()).as("seq %d", expectSeq).isEqualTo(received);
                        if (received) {
                            long diff = view.arrivalTimeUs() - arrivals[input];
                            if (aligned) {
                                assertThat(diff).isZero();
                            } else {
                                assertThat(Math.abs(diff)).isLessThanOrEqualTo(125);
                            }
                        }
                        expectSeq = (expectSeq + 1) & 0xFFFF;
                    }
                    seen++;
                }
                assertThat(it.invalidReason()).isNull();
                assertThat(seen).isEqualTo(packets);
                // Everything up to and including the last received packet was reported.
                assertThat(expectSeq).isEqualTo((seqs[lastReceived] + 1) & 0xFFFF);
            } finally {
                exact.release();
            }
        }
        assertThat(totalPackets).isGreaterThan(ROUNDS);
    }

    private static boolean isBefore(int a, int b) {
        int d = (b - a) & 0xFFFF;
        return d != 0 && d < 0x8000;
    }
}
