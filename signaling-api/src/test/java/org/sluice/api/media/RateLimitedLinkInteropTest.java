package org.sluice.api.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link RateLimitedLink} on plain loopback UDP. A sender offers 2000 datagrams of 1000 bytes evenly over 2 s
 * (8 Mbit/s); what the receiver gets within those 2 s is about the cap times 2 s, the rest is tail-dropped by the
 * queue; another port gets everything; {@link RateLimitedLink#setRate} and {@link RateLimitedLink#lift} take effect;
 * after close {@code lo} is back to {@code noqueue}. Needs root inside the test run's network namespace (the interop
 * Surefire execution); fails under {@code CI=true} without it, skips otherwise.
 */
class RateLimitedLinkInteropTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PACKETS = 2000;
    private static final int SIZE = 1000;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** What a 1000-byte datagram weighs at the qdisc of lo: Ethernet 14, IPv4 20, UDP 8. */
    private static final double WIRE_SIZE = SIZE + 42;

    @BeforeAll
    static void requireTestNamespace() {
        Optional<String> reason = RateLimitedLink.whyUnusable();
        if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
            fail("rate-limited link precondition not met under CI=true: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> "skipping rate-limited link tests: " + reason.orElse(""));
    }

    @Test
    void capsThePortAtTheRateAndNothingElseAndLeavesNoTrace() throws Exception {
        try (DatagramSocket sender = bound(); DatagramSocket target = bound(); DatagramSocket other = bound()) {
            try (RateLimitedLink link = RateLimitedLink.toUdpPort(target.getLocalPort(), 700)) {
                System.out.println("qdiscs with the cap:\n" + RateLimitedLink.qdiscs());
                Blast capped = blast(sender, target);
                RateLimitedLink.Counters counters = link.counters();
                System.out.println("700 kbit/s: " + capped + ", queue " + counters);
                assertAboutTheRate(capped, 700);
                assertThat(counters.droppedPackets()).as("tail drops, %s", counters).isPositive();

                Blast elsewhere = blast(sender, other);
                System.out.println("another port meanwhile: " + elsewhere);
                assertThat(elsewhere.total).as("another port, %s", elsewhere).isEqualTo(PACKETS);

                link.setRate(1400);
                Blast faster = blast(sender, target);
                System.out.println("1400 kbit/s: " + faster);
                assertAboutTheRate(faster, 1400);

                link.lift();
                Blast lifted = blast(sender, target);
                System.out.println("lifted: " + lifted);
                assertThat(lifted.total).as("lifted, %s", lifted).isEqualTo(PACKETS);

                link.setRate(700);
                Blast again = blast(sender, target);
                System.out.println("700 kbit/s again: " + again);
                assertAboutTheRate(again, 700);
            }
            String after = RateLimitedLink.qdiscs();
            System.out.println("qdiscs after close:\n" + after);
            assertThat(after).as("lo after close").startsWith("qdisc noqueue 0: root").doesNotContain("htb");
            Blast closed = blast(sender, target);
            assertThat(closed.total).as("after close, %s", closed).isEqualTo(PACKETS);
        }
    }

    @Test
    void refusesASecondLinkWhileOneIsOpen() throws Exception {
        try (RateLimitedLink link = RateLimitedLink.toUdpPort(40000, 500)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimitedLink.toUdpPort(40001, 500))
                    .hasMessageContaining("refusing to replace the root qdisc");
            assertThat(link.capped()).isTrue();
        }
        assertThat(RateLimitedLink.qdiscs()).startsWith("qdisc noqueue 0: root");
    }

    /** Within 15% of {@code kbit} times the window, counted as the qdisc counts (with headers). */
    private static void assertAboutTheRate(Blast blast, int kbit) {
        double expectedPackets = kbit * 1000.0 / 8 * WINDOW_NANOS / 1e9 / WIRE_SIZE;
        assertThat((double) blast.inWindow).as("datagrams within 2 s at %d kbit/s (expected %.0f), %s", kbit,
                expectedPackets, blast).isBetween(0.85 * expectedPackets, 1.15 * expectedPackets);
        assertThat(blast.total).as("datagrams in all, %s", blast).isLessThan(PACKETS / 2);
    }

    /** Datagrams that arrived within the 2 s the sender sent for, and in all (the queue drained). */
    private record Blast(int inWindow, int total) {
        @Override
        public String toString() {
            return String.format("%d of %d datagrams within 2 s (%.0f kbit/s of payload), %d in all", inWindow,
                    PACKETS, inWindow * SIZE * 8.0 / 2 / 1000, total);
        }
    }

    /** Offers {@value #PACKETS} datagrams of {@value #SIZE} bytes evenly over 2 s, counting what arrives meanwhile. */
    private static Blast blast(DatagramSocket from, DatagramSocket to) throws Exception {
        to.setSoTimeout(1000);
        long start = System.nanoTime();
        CompletableFuture<int[]> receiving = CompletableFuture.supplyAsync(() -> {
            int inWindow = 0;
            int total = 0;
            DatagramPacket incoming = new DatagramPacket(new byte[SIZE], SIZE);
            while (true) {
                try {
                    to.receive(incoming);
                } catch (SocketTimeoutException e) {
                    return new int[] {inWindow, total};
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                total++;
                if (System.nanoTime() - start <= WINDOW_NANOS) {
                    inWindow++;
                }
            }
        });
        byte[] payload = new byte[SIZE];
        DatagramPacket outgoing = new DatagramPacket(payload, SIZE, new InetSocketAddress(LOOPBACK, to.getLocalPort()));
        for (int i = 0; i < PACKETS; i++) {
            long due = start + WINDOW_NANOS * i / PACKETS;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            from.send(outgoing);
        }
        int[] counts = receiving.get(10, TimeUnit.SECONDS);
        return new Blast(counts[0], counts[1]);
    }

    private static DatagramSocket bound() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setReceiveBufferSize(4 << 20);
        return socket;
    }
}
