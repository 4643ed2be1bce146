package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ICE-TCP receivers on the real media network: one reads everything, one stopped reading. The stalled one's
 * packets are dropped and counted once its connection is not writable, what waits for it stays bounded by the
 * write-buffer water mark, and the reading one gets every packet, in order.
 */
class TcpBackpressureTest {

    private static final int PACKET = 1200;
    private static final int PACKETS = 6000;
    private static final int BATCH = 40;

    private MediaNetwork network;
    private final List<PacketPath> paths = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        network = MediaNetwork.start(new MediaNetworkConfig(InetAddress.getLoopbackAddress(), 0, 0, 1),
                new PacketReceiver() {
                    @Override
                    public void onPacket(ByteBuf packet, InetSocketAddress sender, PacketPath path) {
                        packet.release();
                        if (!paths.contains(path)) {
                            paths.add(path);
                        }
                    }

                    @Override
                    public void onReadBatchComplete(MediaLoop loop) {
                    }
                });
    }

    @AfterEach
    void stop() throws Exception {
        for (PacketPath path : paths) {
            // Closing the connection releases what still waits in its outbound buffer.
            path.loop().eventLoop().submit(((TcpPath) path)::close).get(5, TimeUnit.SECONDS);
            path.loop().eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
        }
        for (Socket s : sockets) {
            s.close();
        }
        network.close();
    }

    /** A client that sends one framed packet, so the server learns its path. */
    private Socket connect(int receiveBuffer) throws Exception {
        int known = paths.size(); // before the packet: the server may learn the path before this method reads again
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), network.tcpPort()), 5000);
        socket.getOutputStream().write(new byte[] {0, 2, 1, 2});
        socket.getOutputStream().flush();
        sockets.add(socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (paths.size() == known && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(paths).hasSize(known + 1);
        return socket;
    }

    @Test
    void aStalledReceiverDropsCountedAndBoundedWhileTheOtherGetsEverything() throws Exception {
        Socket reading = connect(256 * 1024);
        TcpPath readingPath = (TcpPath) paths.get(0);
        Socket stalled = connect(4096);
        TcpPath stalledPath = (TcpPath) paths.get(1);
        assertThat(stalled.isConnected()).isTrue();

        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                DataInputStream in = new DataInputStream(reading.getInputStream());
                byte[] frame = new byte[PACKET];
                for (int i = 0; i < PACKETS; i++) {
                    int length = in.readUnsignedShort();
                    in.readFully(frame, 0, length);
                    if (length != PACKET || (frame[0] & 0xFF) != (i & 0xFF) || (frame[1] & 0xFF) != ((i >> 8) & 0xFF)) {
                        throw new AssertionError("frame " + i + " out of order or damaged");
                    }
                    received.incrementAndGet();
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        MediaLoop loop = readingPath.loop();
        long maxQueuedForStalled = 0;
        for (int first = 0; first < PACKETS; first += BATCH) {
            int from = first;
            maxQueuedForStalled = Math.max(maxQueuedForStalled, loop.eventLoop().submit(() -> {
                for (int i = from; i < from + BATCH; i++) {
                    for (TcpPath path : List.of(readingPath, stalledPath)) {
                        ByteBuf packet = loop.alloc().directBuffer(PACKET);
                        packet.writeByte(i).writeByte(i >> 8).writeZero(PACKET - 2);
                        path.send(packet, null);
                    }
                }
                return stalledPath.queuedBytes();
            }).get(5, TimeUnit.SECONDS));
            // Pace like media: the reading receiver keeps up, as a real one would.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.get() < first + BATCH - 4 * BATCH && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        reader.get(20, TimeUnit.SECONDS);

        NetworkCounters counters = network.counters();
        assertThat(received.get()).as("the reading receiver got every packet").isEqualTo(PACKETS);
        assertThat(counters.tcpBackpressureDrops.sum()).as("the stalled receiver's drops are counted")
                .isPositive().isLessThan(PACKETS);
        assertThat(maxQueuedForStalled).as("bytes waiting for the stalled receiver stay bounded")
                .isLessThanOrEqualTo(MediaNetwork.TCP_WATER_MARK.high() + (long) BATCH * (PACKET + 2));
        assertThat(counters.packetsOut.sum() + counters.tcpBackpressureDrops.sum()).isEqualTo(2L * PACKETS);
    }
}
