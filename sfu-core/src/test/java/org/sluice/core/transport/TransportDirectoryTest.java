package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.net.PacketPath;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing of packets from addresses no transport has bound: dropped, counted, released. */
class TransportDirectoryTest {

    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 50_000);

    private final DefaultEventLoop eventLoop = new DefaultEventLoop();
    private final MediaLoop loop = new MediaLoop(0, eventLoop);
    private final TransportDirectory directory = new TransportDirectory();
    private final List<ByteBuf> sent = new ArrayList<>();
    private final PacketPath path = new PacketPath() {
        @Override
        public MediaLoop loop() {
            return loop;
        }

        @Override
        public boolean isTcp() {
            return false;
        }

        @Override
        public void send(ByteBuf packet, InetSocketAddress recipient) {
            sent.add(packet);
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    };

    TransportDirectoryTest() {
        directory.useLoops(List.of(loop));
    }

    @AfterEach
    void stop() throws InterruptedException {
        sent.forEach(ByteBuf::release);
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(eventLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A STUN Binding request whose USERNAME is {@code username} (no integrity: routing only reads it). */
    static ByteBuf bindingRequest(String username) {
        byte[] name = username.getBytes(StandardCharsets.US_ASCII);
        int padded = (name.length + 3) & ~3;
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(0x0001).writeShort(4 + padded).writeInt(0x2112A442);
        buf.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        buf.writeShort(0x0006).writeShort(name.length).writeBytes(name).writeZero(padded - name.length);
        return buf;
    }

    @ParameterizedTest(name = "first byte {0}")
    @ValueSource(ints = {0x16, 0x80, 0x90, 0xBF, 0x04, 0x40, 0xC0, 0xFF})
    void aNonStunPacketFromAnUnknownAddressIsDroppedCountedAndReleased(int firstByte) {
        ByteBuf packet = Unpooled.buffer(32).writeByte(firstByte).writeZero(31);

        directory.onPacket(packet, STRANGER, path);

        assertThat(packet.refCnt()).isZero();
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void malformedStunFromAnUnknownAddressIsDroppedCountedAndReleased() {
        ByteBuf packet = Unpooled.buffer(8).writeShort(0x0001).writeShort(40).writeInt(0x2112A442); // truncated

        directory.onPacket(packet, STRANGER, path);

        assertThat(packet.refCnt()).isZero();
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(1);
    }

    @Test
    void anEmptyDatagramIsDroppedAndReleased() {
        ByteBuf packet = Unpooled.buffer(0);

        directory.onPacket(packet, STRANGER, path);

        assertThat(packet.refCnt()).isZero();
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(1);
    }

    @Test
    void aStunCheckForAnUfragNobodyOwnsIsDroppedCountedAndReleased() {
        ByteBuf packet = bindingRequest("nobody:peer");

        directory.onPacket(packet, STRANGER, path);

        assertThat(packet.refCnt()).isZero();
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void aClosedTransportsUfragNoLongerRoutes() throws Exception {
        TransportFactory factory = new TransportFactory(directory, null, Runnable::run, Duration.ofSeconds(5),
                System::nanoTime);
        IceLiteAgent agent = factory.newAgent();
        MediaTransport transport = new MediaTransport("t1", agent, directory, System::nanoTime);
        String ufrag = agent.localCredentials().ufrag();
        directory.register(transport, ufrag);
        assertThat(directory.size()).isEqualTo(1);

        transport.close("test");
        eventLoop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the per-loop purge has run

        ByteBuf packet = bindingRequest(ufrag + ":peer");
        directory.onPacket(packet, STRANGER, path);

        assertThat(directory.size()).isZero();
        assertThat(packet.refCnt()).isZero();
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(1);
        assertThat(directory.counters().transportsOpened.sum()).isEqualTo(1);
        assertThat(directory.counters().transportsClosed.sum()).isEqualTo(1);
    }

    @Test
    void manyStrangersAreAllCountedAndNothingLeaks() {
        List<ByteBuf> packets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ByteBuf packet = i % 2 == 0 ? Unpooled.directBuffer(16).writeByte(0x80).writeZero(15)
                    : bindingRequest("u" + i + ":p");
            packets.add(packet);
            directory.onPacket(packet, new InetSocketAddress("127.0.0.1", 40_000 + i), path);
        }
        assertThat(directory.counters().unknownSender.sum()).isEqualTo(200);
        assertThat(packets).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }
}
