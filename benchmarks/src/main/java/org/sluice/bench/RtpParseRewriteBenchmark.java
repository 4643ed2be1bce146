package org.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.AbsSendTimeExtension;
import org.sluice.rtp.ext.ExtensionMap;
import org.sluice.rtp.ext.ExtensionType;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.ext.SdesExtension;
import org.sluice.rtp.ext.TransportCcExtension;

import java.util.concurrent.TimeUnit;

/**
 * The per-receiver header work of the forwarding path on a 1200-byte video packet carrying the
 * one-byte extensions Chrome sends (mid, abs-send-time, transport-wide-cc): wrap the views, read the
 * fields, and rewrite SSRC, sequence number, timestamp, payload type and the transport-wide
 * sequence number in place. Expected to allocate nothing ({@code -prof gc}: 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpParseRewriteBenchmark {

    private static final int PACKET_SIZE = 1200;
    private static final String MID = "0";

    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions extensions = new HeaderExtensions();
    private ByteBuf buf;
    private int midId;
    private int absSendTimeId;
    private int transportCcId;
    private int outSequence;
    private long outTimestamp;
    private int outTransportSequence;

    @Setup
    public void setUp() {
        ExtensionMap map = ExtensionMap.builder()
                .put(4, ExtensionType.MID)
                .put(2, ExtensionType.ABS_SEND_TIME)
                .put(3, ExtensionType.TRANSPORT_WIDE_CC)
                .build();
        midId = map.idOf(ExtensionType.MID);
        absSendTimeId = map.idOf(ExtensionType.ABS_SEND_TIME);
        transportCcId = map.idOf(ExtensionType.TRANSPORT_WIDE_CC);

        buf = PooledByteBufAllocator.DEFAULT.directBuffer(PACKET_SIZE, PACKET_SIZE);
        buf.writeByte(0x90);                 // V=2, X=1
        buf.writeByte(0x80 | 96);            // marker, PT 96 (VP8)
        buf.writeShort(4711);
        buf.writeInt(0x12345678);
        buf.writeInt(0xCAFEBABE);
        buf.writeShort(0xBEDE);
        buf.writeShort(3);                   // 12 bytes of elements
        buf.writeByte((midId << 4)).writeByte('0');
        buf.writeByte((absSendTimeId << 4) | 2).writeMedium(0x0ABCDE);
        buf.writeByte((transportCcId << 4) | 1).writeShort(1000);
        buf.writeZero(3);                    // padding to the word boundary
        while (buf.writerIndex() < PACKET_SIZE) {
            buf.writeByte(buf.writerIndex());
        }
        if (!packet.wrap(buf) || !extensions.wrap(packet)
                || TransportCcExtension.read(extensions, transportCcId) != 1000) {
            throw new IllegalStateException("benchmark packet does not parse");
        }
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    /** Parse and read only. */
    @Benchmark
    public long parse() {
        if (!packet.wrap(buf) || !extensions.wrap(packet)) {
            return -1;
        }
        long acc = packet.ssrc() + packet.sequenceNumber() + packet.timestamp() + packet.payloadType()
                + packet.payloadLength();
        acc += TransportCcExtension.read(extensions, transportCcId);
        acc += AbsSendTimeExtension.read(extensions, absSendTimeId);
        return SdesExtension.matches(extensions, midId, MID) ? acc : -acc;
    }

    /** Parse, read, and rewrite the header and the transport-wide sequence number in place. */
    @Benchmark
    public long parseAndRewrite() {
        if (!packet.wrap(buf) || !extensions.wrap(packet)) {
            return -1;
        }
        long acc = packet.ssrc() + packet.sequenceNumber() + packet.timestamp() + packet.payloadType()
                + packet.payloadLength();
        acc += TransportCcExtension.read(extensions, transportCcId);
        acc += AbsSendTimeExtension.read(extensions, absSendTimeId);
        if (!SdesExtension.matches(extensions, midId, MID)) {
            return -2;
        }
        packet.setSsrc(0x11223344L);
        packet.setSequenceNumber(outSequence++);
        packet.setTimestamp(outTimestamp += 3000);
        packet.setPayloadType(100);
        TransportCcExtension.write(extensions, transportCcId, outTransportSequence++);
        return acc;
    }
}
