package org.sluice.rtp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NettyLeakGuardTest {

    @Test
    void aDroppedBufferIsReported() throws Exception {
        NettyLeakGuard.collect(); // start clean
        leakOne();
        assertThat(NettyLeakGuard.collect())
                .as("the guard must see a buffer that was never released")
                .anySatisfy(report -> assertThat(report).contains("LEAK"));
    }

    @Test
    void releasedBuffersAreNotReported() throws Exception {
        NettyLeakGuard.collect();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.release();
        assertThat(NettyLeakGuard.collect()).isEmpty();
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(7);
        // deliberately not released
    }
}
