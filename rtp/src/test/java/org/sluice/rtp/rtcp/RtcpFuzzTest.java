package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for every RTCP parser: random bytes, valid packets with random bytes changed,
 * truncated and oversized copies, each in an exact-size buffer so any read past the end throws.
 * Nothing may escape the parser; a packet a view accepts must be fully readable.
 */
class RtcpFuzzTest {

    private static final int CASES = 200_000;

    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        ByteBuf b = Unpooled.buffer();
        ReportWriter.writeSenderReport(b, 1, 2, 3, 4, 5, List.of(new ReportBlock(6, 7, -8, 9, 10, 11, 12)));
        seeds.add(take(b));
        ReportWriter.writeReceiverReport(b, 1, List.of(new ReportBlock(6, 7, 8, 9, 10, 11, 12),
                new ReportBlock(1, 2, 3, 4, 5, 6, 7)));
        seeds.add(take(b));
        SdesWriter.writeCnames(b, new long[] {1, 2}, new String[] {"a", "bcdefg"});
        seeds.add(take(b));
        ByeWriter.write(b, new long[] {1, 2}, "gone");
        seeds.add(take(b));
        NackWriter.write(b, 1, 2, new int[] {5, 6, 30, 31, 100}, 0, 5);
        seeds.add(take(b));
        PliView.write(b, 1, 2);
        seeds.add(take(b));
        FirView.write(b, 1, new long[] {3, 4}, new int[] {5, 6});
        seeds.add(take(b));
        RembView.write(b, 1, 1_500_000, new long[] {3, 4});
        seeds.add(take(b));
        TransportFeedbackBuilder tcc = new TransportFeedbackBuilder(1200);
        tcc.reset(1, 2, 65530, 1_000_000, 3);
        long t = 1_000_000;
        for (int i = 0; i < 40; i++) {
            t += (i % 7 == 0) ? 90_000 : (i % 5 == 0 ? -3000 : 1000);
            if (i % 3 != 1) {
                tcc.addReceived(65530 + i, t);
            }
        }
        tcc.write(b);
        seeds.add(take(b));
        // a compound of several of the above plus an APP packet
        for (int i = 0; i < 4; i++) {
            b.writeBytes(seeds.get(i));
        }
        b.writeBytes(Bytes.array(0x81, 204, 0x00, 0x03, 0, 0, 0, 1, 'T', 'E', 'S', 'T', 1, 2, 3, 4));
        seeds.add(take(b));
        b.release();
        return seeds;
    }

    private static byte[] take(ByteBuf b) {
        byte[] out = Bytes.readable(b);
        b.clear();
        return out;
    }

    /** Runs {@code parse} over CASES hostile inputs. */
    private static void fuzz(long seed, Consumer<ByteBuf> parse) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            byte[] data = nextInput(rnd);
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            try {
                parse.accept(buf);
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw on " + io.netty.buffer.ByteBufUtil.hexDump(data), e);
            } finally {
                buf.release();
            }
        }
    }

    private static byte[] nextInput(SplittableRandom rnd) {
        int kind = rnd.nextInt(4);
        if (kind == 0) {
            byte[] data = new byte[rnd.nextInt(0, 96)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(256);
            }
            if (data.length > 1 && rnd.nextBoolean()) {
                data[0] = (byte) (0x80 | rnd.nextInt(64));
                data[1] = (byte) (200 + rnd.nextInt(8));
            }
            if (data.length > 3 && rnd.nextBoolean()) {
                data[2] = 0;
                data[3] = (byte) (data.length / 4 - 1 + rnd.nextInt(-1, 2));
            }
            return data;
        }
        byte[] seed = SEEDS.get(rnd.nextInt(SEEDS.size()));
        byte[] data;
        if (kind == 1) { // truncated
            data = java.util.Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
        } else if (kind == 2) { // oversized: garbage appended, length field sometimes patched
            data = java.util.Arrays.copyOf(seed, seed.length + rnd.nextInt(1, 40));
            for (int i = seed.length; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextBoolean()) {
                data[3] = (byte) (data[3] + rnd.nextInt(1, 4));
            }
        } else { // mutated
            data = seed.clone();
        }
        int flips = rnd.nextInt(0, 4);
        for (int f = 0; f < flips && data.length > 0; f++) {
            data[rnd.nextInt(data.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return data;
    }

    /** Offset/length pairs: the whole buffer, and a random (possibly out of range) region. */
    private static void regions(ByteBuf b, SplittableRandom rnd, RegionParser p) {
        p.parse(b, 0, b.capacity());
        p.parse(b, rnd.nextInt(-2, b.capacity() + 3), rnd.nextInt(-2, b.capacity() + 6));
    }

    @FunctionalInterface
    private interface RegionParser {
        void parse(ByteBuf buf, int offset, int length);
    }

    @Test
    void compoundIterator() {
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        SplittableRandom rnd = new SplittableRandom(1);
        fuzz(11, b -> regions(b, rnd, (buf, off, len) -> {
            if (!it.wrap(buf, off, len)) {
                assertThat(it.next()).isFalse();
                return;
            }
            int end = off;
            while (it.next()) {
                assertThat(it.offset()).isEqualTo(end);
                end += it.length();
                assertThat(end).isLessThanOrEqualTo(off + len);
                it.packetType();
                it.countOrFmt();
                it.senderSsrc();
                it.paddingLength();
            }
            assertThat(it.invalidReason() == null).isEqualTo(end == off + len);
        }));
    }

    @Test
    void senderAndReceiverReports() {
        SenderReportView sr = new SenderReportView();
        ReceiverReportView rr = new ReceiverReportView();
        SplittableRandom rnd = new SplittableRandom(2);
        fuzz(12, b -> regions(b, rnd, (buf, off, len) -> {
            if (sr.wrap(buf, off, len)) {
                assertThat(sr.invalidReason()).isNull();
                sr.senderSsrc();
                sr.ntpTimestamp();
                sr.octetCount();
                for (int i = 0; i < sr.reportCount(); i++) {
                    sr.blockCumulativeLost(i);
                    sr.blockDelaySinceLastSr(i);
                }
            } else {
                assertThat(sr.invalidReason()).isNotNull();
            }
            if (rr.wrap(buf, off, len)) {
                for (int i = 0; i < rr.reportCount(); i++) {
                    rr.blockSsrc(i);
                    rr.blockDelaySinceLastSr(i);
                }
            } else {
                assertThat(rr.invalidReason()).isNotNull();
            }
        }));
    }

    @Test
    void sdes() {
        SdesView sdes = new SdesView();
        int[] accepted = new int[1];
        SplittableRandom rnd = new SplittableRandom(3);
        fuzz(13, b -> regions(b, rnd, (buf, off, len) -> {
            if (!sdes.wrap(buf, off, len)) {
                assertThat(sdes.invalidReason()).isNotNull();
                assertThat(sdes.nextChunk()).isFalse();
                return;
            }
            accepted[0]++;
            int chunks = 0;
            while (sdes.nextChunk()) {
                chunks++;
                sdes.chunkSsrc();
                while (sdes.nextItem()) {
                    assertThat(sdes.itemOffset() + sdes.itemLength()).isLessThanOrEqualTo(off + len);
                    sdes.itemType();
                }
            }
            assertThat(chunks).isEqualTo(sdes.chunkCount());
            sdes.cname(1);
        }));
        assertThat(accepted[0]).isGreaterThan(CASES / 100);
    }

    @Test
    void bye() {
        ByeView bye = new ByeView();
        SplittableRandom rnd = new SplittableRandom(4);
        fuzz(14, b -> regions(b, rnd, (buf, off, len) -> {
            if (bye.wrap(buf, off, len)) {
                for (int i = 0; i < bye.ssrcCount(); i++) {
                    bye.ssrc(i);
                }
                bye.reason();
            }
        }));
    }

    @Test
    void nack() {
        NackView nack = new NackView();
        int[] sink = new int[2];
        SplittableRandom rnd = new SplittableRandom(5);
        fuzz(15, b -> regions(b, rnd, (buf, off, len) -> {
            if (nack.wrap(buf, off, len)) {
                sink[1]++;
                sink[0] = 0;
                nack.forEachLost(s -> sink[0]++);
                assertThat(sink[0]).isEqualTo(nack.lostCount());
            }
        }));
        assertThat(sink[1]).isGreaterThan(CASES / 100);
    }

    @Test
    void pliAndFir() {
        PliView pli = new PliView();
        FirView fir = new FirView();
        SplittableRandom rnd = new SplittableRandom(6);
        fuzz(16, b -> regions(b, rnd, (buf, off, len) -> {
            if (pli.wrap(buf, off, len)) {
                pli.mediaSsrc();
            }
            if (fir.wrap(buf, off, len)) {
                for (int i = 0; i < fir.entryCount(); i++) {
                    fir.entrySsrc(i);
                    fir.entrySequenceNumber(i);
                }
            }
        }));
    }

    @Test
    void remb() {
        RembView remb = new RembView();
        SplittableRandom rnd = new SplittableRandom(7);
        fuzz(17, b -> regions(b, rnd, (buf, off, len) -> {
            if (remb.wrap(buf, off, len)) {
                assertThat(remb.bitrateBps()).isNotNegative();
                for (int i = 0; i < remb.ssrcCount(); i++) {
                    remb.ssrc(i);
                }
            }
        }));
    }

    @Test
    void transportFeedback() {
        TransportFeedbackView view = new TransportFeedbackView();
        int[] accepted = new int[1];
        SplittableRandom rnd = new SplittableRandom(8);
        fuzz(18, b -> regions(b, rnd, (buf, off, len) -> {
            if (!view.wrap(buf, off, len)) {
                assertThat(view.invalidReason()).isNotNull();
                assertThat(view.nextPacket()).isFalse();
                return;
            }
            accepted[0]++;
            int n = 0;
            int received = 0;
            while (view.nextPacket()) {
                n++;
                if (view.isReceived()) {
                    received++;
                    view.arrivalTimeUs();
                }
            }
            assertThat(n).isEqualTo(view.packetStatusCount());
            assertThat(received).isEqualTo(view.receivedCount());
        }));
        assertThat(accepted[0]).isGreaterThan(CASES / 100);
    }
}
