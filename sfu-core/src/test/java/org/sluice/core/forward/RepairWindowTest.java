package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RepairWindow}: order, holes filled or given up on, late packets, duplicates, the ring bound, references. */
class RepairWindowTest {

    private static final long DELAY = 150_000_000L;

    private final RepairCounters counters = new RepairCounters();
    private final RepairWindow window = new RepairWindow(DELAY, counters);
    private final List<Integer> released = new ArrayList<>();
    private final List<ByteBuf> offered = new ArrayList<>();
    private final RepairWindow.Sink sink = packet -> released.add(packet.getUnsignedShort(0));

    private void offer(int sequence, long nowNanos) {
        ByteBuf packet = Unpooled.buffer(2).writeShort(sequence);
        offered.add(packet);
        window.offer(sequence, packet, nowNanos, sink);
    }

    @Test
    void packetsInOrderPassAtOnce() {
        for (int seq = 65_530; seq < 65_540; seq++) {
            offer(seq & 0xFFFF, 0);
        }
        assertThat(released).hasSize(10).startsWith(65_530).endsWith(3);
        assertThat(window.held()).isZero();
        assertThat(counters.repairWindowHeld.sum()).isZero();
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void packetsBehindAHoleWaitForItAndGoInOrderOnceItIsFilled() {
        offer(100, 0);
        offer(102, 1_000_000);
        offer(103, 2_000_000);
        assertThat(released).containsExactly(100);
        assertThat(window.held()).isEqualTo(2);

        window.flush(DELAY, sink); // not yet: the first packet behind the hole has waited 149 ms
        assertThat(released).containsExactly(100);
        offer(101, 50_000_000); // the retransmission
        assertThat(released).containsExactly(100, 101, 102, 103);
        assertThat(counters.repairWindowHeld.sum()).isEqualTo(2);
        assertThat(counters.repairWindowSkipped.sum()).isZero();
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void aHoleStillOpenAfterTheDelayIsGivenUpOnAndItsLatePacketPassesAtOnce() {
        offer(100, 0);
        offer(103, 10_000_000);
        offer(104, 20_000_000);
        offer(106, 30_000_000);
        window.flush(DELAY + 10_000_000 - 1, sink);
        assertThat(released).containsExactly(100);
        window.flush(DELAY + 10_000_000, sink); // 103 has waited the delay: 101 and 102 are given up on
        assertThat(released).containsExactly(100, 103, 104);
        assertThat(counters.repairWindowSkipped.sum()).isEqualTo(2);
        offer(105, DELAY + 11_000_000); // fills the next hole
        assertThat(released).containsExactly(100, 103, 104, 105, 106);
        offer(101, DELAY + 12_000_000); // too late for its place: passed on, receivers reorder it
        assertThat(released).endsWith(101);
        assertThat(counters.repairWindowLate.sum()).isEqualTo(1);
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void aDuplicateOfAHeldPacketIsDroppedAndCounted() {
        offer(10, 0);
        offer(12, 0);
        offer(12, 1);
        offer(11, 2);
        assertThat(released).containsExactly(10, 11, 12);
        assertThat(counters.repairWindowDuplicates.sum()).isEqualTo(1);
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void aPacketBeyondTheRingReleasesWhatIsHeldFirst() {
        offer(0, 0);
        offer(2, 0);
        offer(3, 0);
        offer(2 + RepairWindow.CAPACITY, 0); // 2 and 3 must make room
        assertThat(released).containsExactly(0, 2, 3);
        assertThat(window.held()).isEqualTo(1);
        offer(20_000, 0); // a jump ahead: everything goes, numbering starts over there
        assertThat(released).containsExactly(0, 2, 3, 2 + RepairWindow.CAPACITY, 20_000);
        window.clear();
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void underRandomLossReorderAndDuplicationWhatIsReleasedIsInOrderExceptLatePackets() {
        SplittableRandom random = new SplittableRandom(7);
        List<int[]> arrivals = new ArrayList<>(); // {sequence, arrival in ms}
        for (int i = 0; i < 3000; i++) {
            if (random.nextInt(100) < 5) {
                if (random.nextBoolean()) {
                    arrivals.add(new int[] {(60_000 + i) & 0xFFFF, i * 2 + 20 + random.nextInt(300)}); // resent later
                }
                continue; // lost
            }
            arrivals.add(new int[] {(60_000 + i) & 0xFFFF, i * 2 + random.nextInt(6)});
            if (random.nextInt(100) < 2) {
                arrivals.add(new int[] {(60_000 + i) & 0xFFFF, i * 2 + random.nextInt(10)});
            }
        }
        arrivals.sort((a, b) -> Integer.compare(a[1], b[1]));
        long late = 0;
        for (int[] a : arrivals) {
            long now = a[1] * 1_000_000L;
            window.flush(now, sink);
            long before = counters.repairWindowLate.sum();
            int releasedBefore = released.size();
            offer(a[0], now);
            if (counters.repairWindowLate.sum() > before) {
                late++;
                released.remove(releasedBefore); // a late packet is out of order by design
            }
        }
        window.releaseAll(sink);
        for (int i = 1; i < released.size(); i++) {
            int step = (released.get(i) - released.get(i - 1)) & 0xFFFF;
            assertThat(step).as("release %d", i).isBetween(1, 0x7FFF);
        }
        assertThat(late).isEqualTo(counters.repairWindowLate.sum());
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }
}
