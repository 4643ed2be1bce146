package org.sluice.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MediaLoop}'s UDP sends against a socket whose kernel send buffer can be full: a burst larger than the
 * write-buffer high mark goes out whole while the kernel takes it; with the kernel full, what waits stays under the
 * high mark and the rest is dropped, released and counted; once the kernel drains, sends pass again.
 */
class UdpBackpressureTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5004);
    private static final int PACKET = 500;

    /** A channel standing in for a UDP socket: it writes what it is flushed unless its kernel buffer is full. */
    private static final class KernelChannel extends EmbeddedChannel {
        boolean kernelFull;
        int written;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) {
            while (!kernelFull && in.current() != null) {
                written++;
                in.remove();
            }
        }
    }

    private final KernelChannel channel = new KernelChannel();
    private final NetworkCounters counters = new NetworkCounters();
    private final MediaLoop loop = new MediaLoop(0, channel.eventLoop(), counters);
    private final List<ByteBuf> sent = new ArrayList<>();

    UdpBackpressureTest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        loop.attachUdp(channel);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void send(int packets) {
        for (int i = 0; i < packets; i++) {
            ByteBuf packet = Unpooled.buffer(PACKET).writeZero(PACKET);
            sent.add(packet);
            loop.send(packet, PEER);
        }
    }

    @Test
    void aBurstOverTheHighMarkGoesOutWhileTheKernelTakesIt() {
        send(20); // 10 KB in one loop iteration, five times the high mark
        channel.runPendingTasks();
        assertThat(channel.written).isEqualTo(20);
        assertThat(counters.udpBackpressureDrops.sum()).isZero();
        assertThat(counters.packetsOut.sum()).isEqualTo(20);
    }

    @Test
    void aFullKernelBoundsWhatWaitsAndDropsTheRest() {
        channel.kernelFull = true;
        send(20);
        channel.runPendingTasks();
        assertThat(channel.written).isZero();
        long dropped = counters.udpBackpressureDrops.sum();
        int queued = (int) (20 - dropped);
        // 500-byte packets and Netty's per-entry overhead against a 2 KiB high mark: four or five wait.
        assertThat(queued).as("what waits stops at the high mark").isBetween(3, 5);
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes()).isLessThanOrEqualTo(2048 + PACKET);
        assertThat(sent.subList(queued, 20)).allSatisfy(p -> assertThat(p.refCnt()).as("released").isZero());
        assertThat(counters.packetsOut.sum()).isEqualTo(queued);

        channel.kernelFull = false;
        loop.flush();
        assertThat(channel.written).isEqualTo(queued);
        send(3);
        channel.runPendingTasks();
        assertThat(channel.written).isEqualTo(queued + 3);
        assertThat(counters.udpBackpressureDrops.sum()).isEqualTo(dropped);
    }
}
