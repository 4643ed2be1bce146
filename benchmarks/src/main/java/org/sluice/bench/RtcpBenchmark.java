package org.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.SdesView;
import org.sluice.rtp.rtcp.SdesWriter;
import org.sluice.rtp.rtcp.SenderReportView;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * RTCP parsing and transport-cc feedback building. Run with {@code -prof gc}: parsing is meant to
 * allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcpBenchmark {
    private static final int TCC_PACKETS = 100;

    private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
    private final SenderReportView senderReport = new SenderReportView();
    private final SdesView sdes = new SdesView();
    private final TransportFeedbackView feedback = new TransportFeedbackView();
    private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
    private final int[] sequenceNumbers = new int[TCC_PACKETS];
    private final long[] arrivalTimesUs = new long[TCC_PACKETS];

    private ByteBuf compound;
    private ByteBuf transportCc;
    private ByteBuf out;

    @Setup
    public void setUp() {
        compound = Unpooled.directBuffer(256);
        ReportWriter.writeSenderReport(compound, 0x11223344L, 0xE020A2A952A53FC0L, 0x2E48A552L, 70, 4637,
                List.of(new ReportBlock(0x55667788L, 3, 17, 0x10000 + 4000, 42, 0xA2A952A5L, 6554)));
        SdesWriter.writeCname(compound, 0x11223344L, "{7f3a9c5e-2b1d-4e8f-a6c0-93d2b7e1f408}");

        SplittableRandom rnd = new SplittableRandom(42);
        long t = 5_000_000;
        int seq = 65500; // wraps inside the packet
        for (int i = 0; i < TCC_PACKETS; i++) {
            t += rnd.nextInt(100) < 5 ? 70_000 + rnd.nextInt(20_000) : rnd.nextInt(8_000);
            sequenceNumbers[i] = seq & 0xFFFF;
            arrivalTimesUs[i] = rnd.nextInt(100) < 8 ? Long.MIN_VALUE : t; // ~8% lost
            seq++;
        }
        transportCc = Unpooled.directBuffer(1200);
        buildInto(transportCc);
        out = Unpooled.directBuffer(1200);
    }

    @TearDown
    public void tearDown() {
        compound.release();
        transportCc.release();
        out.release();
    }

    private int buildInto(ByteBuf target) {
        builder.reset(0x11223344L, 0x55667788L, sequenceNumbers[0], arrivalTimesUs[0], 1);
        for (int i = 0; i < TCC_PACKETS; i++) {
            if (arrivalTimesUs[i] != Long.MIN_VALUE) {
                builder.addReceived(sequenceNumbers[i], arrivalTimesUs[i]);
            }
        }
        return builder.write(target);
    }

    /** Walks SR + SDES, reads the SR and its report block, finds the CNAME. */
    @Benchmark
    public long parseCompoundSrSdes() {
        long acc = 0;
        iterator.wrap(compound);
        while (iterator.next()) {
            int type = iterator.packetType();
            if (type == RtcpPacketType.SR) {
                if (senderReport.wrap(compound, iterator.offset(), iterator.length())) {
                    acc += senderReport.ntpMiddle32() + senderReport.rtpTimestamp() + senderReport.packetCount();
                    for (int i = 0; i < senderReport.reportCount(); i++) {
                        acc += senderReport.blockCumulativeLost(i) + senderReport.blockJitter(i);
                    }
                }
            } else if (type == RtcpPacketType.SDES) {
                if (sdes.wrap(compound, iterator.offset(), iterator.length()) && sdes.findCname(0x11223344L)) {
                    acc += sdes.foundOffset() + sdes.foundLength();
                }
            }
        }
        return acc;
    }

    /** Validates a ~100-packet transport-cc feedback and iterates every packet's arrival time. */
    @Benchmark
    public long parseTransportCc() {
        long acc = 0;
        if (feedback.wrap(transportCc, 0, transportCc.writerIndex())) {
            feedback.startPackets();
            while (feedback.nextPacket()) {
                acc += feedback.isReceived() ? feedback.arrivalTimeUs() : feedback.sequenceNumber();
            }
        }
        return acc;
    }

    /** Builds the same feedback from 100 (sequence number, arrival time) pairs. */
    @Benchmark
    public int buildTransportCc() {
        out.clear();
        return buildInto(out);
    }
}
