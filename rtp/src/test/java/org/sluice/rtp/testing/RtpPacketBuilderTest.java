package org.sluice.rtp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtpPacketBuilderTest {

    @Test
    void buildsRfc8285OneByteExampleByteExact() {
        byte[] bytes = new RtpPacketBuilder().marker(true).payloadType(96).sequenceNumber(27023)
                .timestamp(3653407706L).ssrc(476325762L)
                .oneByteExtension(1, 0xAA).oneByteExtension(2, 0xBB, 0xBB)
                .extensionPaddingBetween(2).oneByteExtension(3, 0xCC, 0xCC, 0xCC, 0xCC)
                .payload(new byte[]{(byte) 0x98, 0x36, (byte) 0xbe, (byte) 0x88, (byte) 0x9e})
                .toBytes();
        assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo(
                "90e0698fd9c293da1c642782" + "bede0003" + "10aa21bbbb000033cccccccc" + "9836be889e");
    }

    @Test
    void buildsTwoByteCsrcAndPadding() {
        byte[] bytes = new RtpPacketBuilder().payloadType(0).sequenceNumber(1).timestamp(2).ssrc(3)
                .csrc(0xA0B0C0D0L).twoByteAppBits(5).twoByteExtension(1).twoByteExtension(2, 0xBB)
                .payload(new byte[]{1}).padding(3).toBytes();
        assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo(
                "b1000001" + "00000002" + "00000003" + "a0b0c0d0" + "10050002" + "01000201" + "bb000000"
                        + "01" + "000003");
    }

    @Test
    void buffersHoldExactlyThePacketPlusRequestedSpare() {
        RtpPacketBuilder builder = new RtpPacketBuilder().payload(new byte[10]).extraCapacity(6);
        ByteBuf heap = builder.build();
        assertThat(heap.readableBytes()).isEqualTo(22);
        assertThat(heap.capacity()).isEqualTo(28);
        assertThat(heap.maxCapacity()).isEqualTo(28);
        heap.release();
        ByteBuf pooled = builder.build(PooledByteBufAllocator.DEFAULT);
        assertThat(pooled.writableBytes()).isEqualTo(6);
        pooled.release();
        ByteBuf target = Unpooled.buffer().writeByte(7);
        builder.buildInto(target);
        assertThat(target.readableBytes()).isEqualTo(23);
        target.release();
    }

    @Test
    void rejectsMixedFormsAndOutOfRangeElements() {
        assertThatThrownBy(() -> new RtpPacketBuilder().oneByteExtension(1, 1).twoByteExtension(2, 1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RtpPacketBuilder().oneByteExtension(15, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtpPacketBuilder().oneByteExtension(1, new int[17]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtpPacketBuilder().twoByteExtension(256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtpPacketBuilder().padding(256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
