package org.sluice.bandwidth.feedback;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TransportCcRecorderTest {

    private static final long MS = 1_000_000L;

    private final TransportCcRecorder recorder = new TransportCcRecorder(4096);

    /** sequence → arrival µs (or -1 lost), over every feedback packet in {@code out}. */
    private static Map<Integer, Long> parse(ByteBuf out) {
        Map<Integer, Long> seen = new TreeMap<>();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        TransportFeedbackView view = new TransportFeedbackView();
        assertThat(it.wrap(out)).isTrue();
        while (it.next()) {
            assertThat(view.wrap(out, it.offset(), it.length())).as(view.invalidReason()).isTrue();
            view.startPackets();
            while (view.nextPacket()) {
                seen.put(view.sequenceNumber(), view.isReceived() ? view.arrivalTimeUs() : -1L);
            }
        }
        return seen;
    }

    @Test
    void reportsReceivedPacketsWithArrivalTimesAndTheGapsAsLost() {
        long base = 1_000_000 * MS;
        for (int seq = 10; seq < 20; seq++) {
            if (seq != 13 && seq != 14) {
                recorder.onPacket(seq, base + seq * MS);
            }
        }
        assertThat(recorder.lossSeen()).isTrue();
        ByteBuf out = Unpooled.buffer();
        assertThat(recorder.writeFeedback(out, 1, 2)).isEqualTo(1);
        Map<Integer, Long> seen = parse(out);
        assertThat(seen).hasSize(10);
        assertThat(seen.get(13)).isEqualTo(-1L);
        assertThat(seen.get(14)).isEqualTo(-1L);
        // Arrival differences survive the 250 µs quantisation exactly for whole milliseconds.
        assertThat(seen.get(19) - seen.get(10)).isEqualTo(9_000L);
        assertThat(recorder.lossSeen()).isFalse();
        assertThat(recorder.hasUnreported()).isFalse();
        assertThat(recorder.writeFeedback(Unpooled.buffer(), 1, 2)).isZero();
    }

    @Test
    void continuesAcrossTheSixteenBitWrapAndIgnoresPacketsAlreadyReported() {
        long t = 5 * MS;
        for (int seq = 65530; seq < 65536; seq++) {
            recorder.onPacket(seq, t += MS);
        }
        recorder.writeFeedback(Unpooled.buffer(), 1, 2);
        recorder.onPacket(65533, t); // late duplicate of a reported packet
        assertThat(recorder.packetsIgnored()).isEqualTo(1);
        for (int seq = 0; seq < 5; seq++) {
            recorder.onPacket(seq, t += MS);
        }
        ByteBuf out = Unpooled.buffer();
        recorder.writeFeedback(out, 1, 2);
        assertThat(parse(out).keySet()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aLongReportIsSplitIntoSeveralPacketsAndNothingIsLost() {
        long t = 0;
        for (int seq = 0; seq < 1500; seq++) {
            // Alternating large and small gaps make two-byte deltas, so one packet cannot hold them all.
            t += (seq % 2 == 0) ? 70 * MS : MS;
            if (seq % 7 != 3) {
                recorder.onPacket(seq, t);
            }
        }
        ByteBuf out = Unpooled.buffer();
        int packets = recorder.writeFeedback(out, 1, 2);
        assertThat(packets).isGreaterThan(1);
        Map<Integer, Long> seen = parse(out);
        long received = seen.values().stream().filter(v -> v >= 0).count();
        assertThat(received).isEqualTo(1500 - 1500 / 7 - (1500 % 7 > 3 ? 1 : 0));
        for (int seq = 0; seq < 1500; seq++) {
            if (seq % 7 != 3) {
                assertThat(seen.get(seq)).as("seq %d", seq).isNotNull().isNotEqualTo(-1L);
            }
        }
    }

    @Test
    void aLossRightAfterTheLastReportIsReportedInTheNextOne() {
        recorder.onPacket(1, MS);
        recorder.onPacket(2, 2 * MS);
        recorder.writeFeedback(Unpooled.buffer(), 1, 2);
        recorder.onPacket(4, 4 * MS); // 3 lost
        recorder.onPacket(5, 5 * MS);
        ByteBuf out = Unpooled.buffer();
        recorder.writeFeedback(out, 1, 2);
        Map<Integer, Long> seen = parse(out);
        assertThat(seen.keySet()).containsExactly(3, 4, 5);
        assertThat(seen.get(3)).isEqualTo(-1L);
        assertThat(seen.get(5) - seen.get(4)).isEqualTo(1000L);
    }

    @Test
    void aReorderedPacketFillsItsHoleBeforeTheFeedback() {
        recorder.onPacket(1, MS);
        recorder.onPacket(3, 3 * MS);
        assertThat(recorder.lossSeen()).isTrue();
        recorder.onPacket(2, 4 * MS);
        assertThat(recorder.lossSeen()).isFalse();
        ByteBuf out = Unpooled.buffer();
        recorder.writeFeedback(out, 1, 2);
        assertThat(parse(out).values()).doesNotContain(-1L);
    }
}
