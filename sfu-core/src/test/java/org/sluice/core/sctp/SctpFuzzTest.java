package org.sluice.core.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated packets into the parsers and live associations: nothing throws, drops are counted. */
class SctpFuzzTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void randomBytesNeverThrowAndAreCounted() {
        SimulatedNetwork net = new SimulatedNetwork(21, 0, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        Random r = new Random(99);
        SctpPacketView view = new SctpPacketView();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[r.nextInt(1500)];
            r.nextBytes(junk);
            assertThatCode(() -> {
                view.wrap(junk, 0, junk.length);
                net.inject(net.b, junk);
            }).doesNotThrowAnyException();
        }
        assertThat(net.b.counters.packetsMalformed()).isEqualTo(20_000);
        assertThat(net.b.association.isEstablished()).isTrue();
    }

    @Test
    void mutatedValidPacketsWithRecomputedChecksumsNeverThrow() {
        SimulatedNetwork net = new SimulatedNetwork(22, 0, 5, SctpSettings.defaults());
        List<byte[]> captured = new ArrayList<>();
        net.a.tap = captured::add;
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        for (int i = 0; i < 200; i++) {
            net.a.association.send(i % 5, 53, new byte[1 + (i * 37) % 4000], i % 2 == 0, i % 3 == 0 ? 0 : -1, -1);
        }
        net.a.association.resetStreams(1, 2);
        net.runUntil(() -> false, 5 * SECOND);
        assertThat(captured.size()).isGreaterThan(50);
        Random r = new Random(7);
        long before = net.b.counters.drops();
        for (int i = 0; i < 50_000; i++) {
            byte[] p = captured.get(r.nextInt(captured.size())).clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = 4 + r.nextInt(p.length - 4);
                if (r.nextBoolean()) {
                    p[at] = (byte) r.nextInt();
                } else {
                    p[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            int length = r.nextInt(8) == 0 ? 12 + r.nextInt(p.length - 11) : p.length;
            byte[] cut = java.util.Arrays.copyOf(p, length);
            Crc32c.write(cut, 0, cut.length);
            assertThatCode(() -> net.inject(net.b, cut)).doesNotThrowAnyException();
            if (net.b.association.state() == SctpAssociation.State.CLOSED) {
                break; // a mutated ABORT with the right tag legitimately ends it
            }
        }
        assertThat(net.b.counters.drops()).isGreaterThan(before);
    }

    @Test
    void chunkReaderParametersStayInBounds() {
        Random r = new Random(5);
        ChunkReader reader = new ChunkReader();
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            int off = b.length == 0 ? 0 : r.nextInt(b.length);
            assertThatCode(() -> reader.wrap(b, off, b.length - off).forEachParameter(0, (t, at, len) -> {
                assertThat(at + len).isLessThanOrEqualTo(b.length);
            })).doesNotThrowAnyException();
        }
    }
}
