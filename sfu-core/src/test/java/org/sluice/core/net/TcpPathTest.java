package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4571 framing of outbound ICE-TCP packets, and the packets a TCP path must refuse. */
class TcpPathTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final DefaultEventLoop unused = new DefaultEventLoop();
    private final TcpPath path = new TcpPath(channel, new MediaLoop(0, unused));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        unused.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void framesEachPacketWithItsTwoByteLength() {
        ByteBuf a = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 1, 2});
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0x16, 9});
        path.send(a, null);
        path.send(b, null);
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        channel.runPendingTasks();

        ByteBuf first = channel.readOutbound();
        ByteBuf second = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(first)).isEqualTo("0003800102");
            assertThat(ByteBufUtil.hexDump(second)).isEqualTo("00021609");
            assertThat((Object) channel.readOutbound()).isNull();
        } finally {
            first.release();
            second.release();
        }
        assertThat(path.isTcp()).isTrue();
        assertThat(path.isOpen()).isTrue();
    }

    @Test
    void aPacketTooLongForTheLengthFieldIsReleasedNotSent() {
        ByteBuf huge = Unpooled.buffer(0x10000).writeZero(0x10000);
        path.send(huge, null);
        channel.runPendingTasks();
        assertThat(huge.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void theLargestFrameFits() {
        ByteBuf max = Unpooled.buffer(0xFFFF).writeZero(0xFFFF);
        path.send(max, null);
        channel.runPendingTasks();
        ByteBuf framed = channel.readOutbound();
        try {
            assertThat(framed.readableBytes()).isEqualTo(0xFFFF + 2);
            assertThat(framed.getUnsignedShort(0)).isEqualTo(0xFFFF);
        } finally {
            framed.release();
        }
    }

    @Test
    void aClosedConnectionReleasesWhatItIsGiven() {
        channel.close();
        ByteBuf packet = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        path.send(packet, null);
        assertThat(packet.refCnt()).isZero();
        assertThat(path.isOpen()).isFalse();
    }
}
