package org.sluice.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdpSocketTableTest {
    private static final String HEADER = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode ref pointer drops\n";

    @Test
    void sumsDropsAndReceiveQueuesOfEverySocketOnThePort(@TempDir Path dir) throws IOException {
        // Two SO_REUSEPORT sockets on 10000 (0x2710), one socket on another port, one malformed line.
        Path udp = dir.resolve("udp");
        Files.writeString(udp, HEADER
                + "  1: 0100007F:2710 00000000:0000 07 00000000:00000400 00:00000000 00000000     0        0 111 2 "
                + "0000000000000000 17\n"
                + "  2: 0100007F:2710 00000000:0000 07 00000000:00000100 00:00000000 00000000     0        0 112 2 "
                + "0000000000000000 3\n"
                + "  3: 0100007F:1F90 00000000:0000 07 00000000:0000FFFF 00:00000000 00000000     0        0 113 2 "
                + "0000000000000000 99\n"
                + "  4: garbage\n");
        Path udp6 = dir.resolve("udp6");
        Files.writeString(udp6, HEADER
                + "  5: 00000000000000000000000001000000:2710 00000000000000000000000000000000:0000 07 "
                + "00000000:00000000 00:00000000 00000000     0        0 114 2 0000000000000000 5\n");

        UdpSocketTable table = new UdpSocketTable(List.of(udp, udp6), 10_000);

        assertThat(table.drops()).isEqualTo(17 + 3 + 5);
        assertThat(table.receiveQueueBytes()).isEqualTo(0x400 + 0x100);
        assertThat(new UdpSocketTable(List.of(udp), 12_345).drops()).isZero();
    }

    /** A scrape asks for both figures: one read of the files answers both, until the reuse time has passed. */
    @Test
    void oneReadAnswersBothFiguresUntilItIsOlderThanTheReuseTime(@TempDir Path dir) throws IOException {
        Path udp = dir.resolve("udp");
        String line = "  1: 0100007F:2710 00000000:0000 07 00000000:%08X 00:00000000 00000000     0        0 111 2 "
                + "0000000000000000 %d\n";
        Files.writeString(udp, HEADER + String.format(line, 0x10, 1));
        long[] now = {0};
        UdpSocketTable table = new UdpSocketTable(List.of(udp), 10_000, () -> now[0], 1_000_000_000L);
        assertThat(table.drops()).isEqualTo(1);

        Files.writeString(udp, HEADER + String.format(line, 0x20, 2));
        now[0] = 999_999_999L;
        assertThat(table.receiveQueueBytes()).as("the same read").isEqualTo(0x10);
        assertThat(table.drops()).isEqualTo(1);
        now[0] = 1_000_000_000L;
        assertThat(table.receiveQueueBytes()).as("read again").isEqualTo(0x20);
        assertThat(table.drops()).isEqualTo(2);
    }

    @Test
    void unknownWhereNoTableCanBeRead(@TempDir Path dir) {
        UdpSocketTable table = new UdpSocketTable(List.of(dir.resolve("missing")), 10_000);
        assertThat(table.drops()).isEqualTo(-1);
        assertThat(table.receiveQueueBytes()).isEqualTo(-1);
    }

    /** A socket nobody reads, with a small receive buffer, flooded over loopback: the kernel's drops show. */
    @Test
    void seesTheKernelDropDatagramsOfASocketNobodyReads() throws IOException {
        assumeTrue(Files.isReadable(UdpSocketTable.PROC_FILES.get(0)), "Linux /proc/net/udp");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket unread = new DatagramSocket(null); DatagramSocket sender = new DatagramSocket(0, loopback)) {
            unread.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            unread.bind(new InetSocketAddress(loopback, 0));
            UdpSocketTable table = new UdpSocketTable(UdpSocketTable.PROC_FILES, unread.getLocalPort());
            assertThat(table.drops()).isZero();

            byte[] payload = new byte[1000];
            DatagramPacket packet = new DatagramPacket(payload, payload.length, unread.getLocalSocketAddress());
            for (int i = 0; i < 500; i++) {
                sender.send(packet);
            }

            assertThat(table.receiveQueueBytes()).isPositive();
            assertThat(table.drops()).isGreaterThan(400);
        }
    }
}
