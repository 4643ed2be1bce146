package org.sluice.loadgen.probe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeParsingTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommandName() {
        String stat = "1234 (java (main) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1 2 3";
        assertThat(ProcessProbe.parseCpuTicks(stat)).isEqualTo(325);
        assertThat(ProcessProbe.parseCpuTicks("garbage")).isEqualTo(-1);
    }

    @Test
    void threadNamesAreReadBetweenTheFirstParenthesisAndTheLast() {
        assertThat(ProcessProbe.threadName("77 (C2 CompilerThre) S 1 2 3")).isEqualTo("C2 CompilerThre");
        assertThat(ProcessProbe.threadName("78 (x) (y)) R 1")).isEqualTo("x) (y)");
        assertThat(ProcessProbe.threadName("garbage")).isEmpty();
    }

    @Test
    void threadCpuCountsOnlyTheNamedThreads() throws Exception {
        ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());
        Thread spinning = new Thread(() -> {
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }, "probe-spinning");
        spinning.start();
        Thread.sleep(250);
        long named = self.threadCpuMicros("probe-spin");
        spinning.join();
        assertThat(named).as("a thread spinning for 250 ms").isBetween(50_000L, 400_000L);
        assertThat(self.threadCpuMicros("no-such-thread-")).isZero();
        assertThat(new ProcessProbe(Long.MAX_VALUE).threadCpuMicros("x")).isEqualTo(-1);
    }

    @Test
    void rssComesFromVmRss() {
        assertThat(ProcessProbe.parseRssKilobytes("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  301234 kB\n")).isEqualTo(301234);
        assertThat(ProcessProbe.parseRssKilobytes("Name:\tjava\n")).isEqualTo(-1);
    }

    @Test
    void ownProcessIsReadable() {
        ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());
        assertThat(self.cpuMicros()).isPositive();
        assertThat(self.rssKilobytes()).isPositive();
        assertThat(new ProcessProbe(Long.MAX_VALUE).cpuMicros()).isEqualTo(-1);
    }

    @Test
    void metricsAreSummedOverLabelsAndMaxed() {
        MetricsText m = new MetricsText("""
                # HELP sluice_packets_forwarded_total x
                sluice_packets_forwarded_total 1.5E7
                sluice_packets_forwarded_total_extra 3
                jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause"} 4.0
                jvm_gc_pause_seconds_count{action="end of major GC",cause="System.gc()"} 1.0
                jvm_gc_pause_seconds_max{action="a"} 0.012
                jvm_gc_pause_seconds_max{action="b"} 0.03
                broken_line{ 7
                """);
        assertThat(m.sum("sluice_packets_forwarded_total")).isEqualTo(1.5e7);
        assertThat(m.sum("jvm_gc_pause_seconds_count")).isEqualTo(5.0);
        assertThat(m.max("jvm_gc_pause_seconds_max")).isEqualTo(0.03);
        assertThat(m.sum("absent")).isZero();
        assertThat(m.max("absent")).isNaN();
    }

    @Test
    void udpSocketDropsAndQueuesAreSummedForTheGivenPorts() {
        String table = """
                   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
                  100: 0100007F:4E20 00000000:0000 07 00000000:00000800 00:00000000 00000000     0        0 1 2 0000000000000000 7
                  101: 0100007F:0050 00000000:0000 07 00000000:00000100 00:00000000 00000000     0        0 1 2 0000000000000000 3
                  102: 0100007F:4E21 00000000:0000 07 00000000:00000001 00:00000000 00000000     0        0 1 2 0000000000000000 0
                  103: 0000000000000000FFFF00000100007F:4E22 00000000000000000000000000000000:0000 07 00000000:00000010 00:00000000 00000000     0        0 1 2 0000000000000000 2
                  bad line
                """;
        UdpSockets.Totals totals = UdpSockets.parse(table, java.util.Set.of(0x4E20, 0x4E21, 0x4E22));
        assertThat(totals.sockets()).as("two IPv4 sockets and one dual-stack IPv6 one").isEqualTo(3);
        assertThat(totals.receiveQueueBytes()).isEqualTo(0x811);
        assertThat(totals.drops()).isEqualTo(9);
        assertThat(new UdpSockets(java.util.List.of(java.nio.file.Path.of("/nonexistent"))).of(java.util.Set.of(1)).drops()).isEqualTo(-1);
    }
}
