package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-loop packet cache: bounds in packets, age and bytes, sequence wrap, and every reference released. */
class PacketCacheTest {

    private static final long MS = 1_000_000L;

    private final RepairCounters counters = new RepairCounters();
    private final List<ByteBuf> made = new ArrayList<>();

    private ByteBuf packet(int size) {
        ByteBuf buf = Unpooled.directBuffer(size).writeZero(size);
        made.add(buf);
        return buf;
    }

    @Test
    void holdsRecentPacketsBySequenceAcrossTheWrapAndReleasesWhatItEvicts() {
        PacketCache cache = new PacketCache(new PacketCache.Limits(16, 1000 * MS, 1 << 20), counters.cache);
        for (int i = 0; i < 40; i++) {
            cache.put((65530 + i) & 0xFFFF, packet(100), i * MS);
        }
        assertThat(cache.count()).isEqualTo(16);
        assertThat(counters.cache.packets()).isEqualTo(16);
        assertThat(cache.get((65530 + 39) & 0xFFFF, 40 * MS)).isNotNull();
        assertThat(cache.get((65530 + 24) & 0xFFFF, 40 * MS)).as("oldest still held").isNotNull();
        assertThat(cache.get((65530 + 23) & 0xFFFF, 40 * MS)).as("lapped").isNull();
        assertThat(cache.lastLookup()).isEqualTo(PacketCache.Lookup.MISSING);
        assertThat(made.subList(0, 24)).allMatch(b -> b.refCnt() == 0);
        cache.clear();
        assertThat(made).allMatch(b -> b.refCnt() == 0);
        assertThat(counters.cache.packets()).isZero();
        assertThat(counters.cache.bytes()).isZero();
    }

    @Test
    void agedPacketsAreTooOldAndReleasedByTheNextPut() {
        PacketCache cache = new PacketCache(new PacketCache.Limits(64, 100 * MS, 1 << 20), counters.cache);
        cache.put(1, packet(50), 0);
        cache.put(2, packet(50), 50 * MS);
        assertThat(cache.get(1, 150 * MS)).isNull();
        assertThat(cache.lastLookup()).isEqualTo(PacketCache.Lookup.TOO_OLD);
        cache.put(3, packet(50), 160 * MS);
        assertThat(made.get(0).refCnt()).as("the aged packet was released").isZero();
        assertThat(made.get(1).refCnt()).as("110 ms old at 160 ms: over the limit too").isZero();
        assertThat(cache.count()).isEqualTo(1);
        cache.clear();
    }

    @Test
    void theByteLimitEvictsTheOldestFirst() {
        PacketCache cache = new PacketCache(new PacketCache.Limits(64, 1000 * MS, 1000), counters.cache);
        for (int i = 0; i < 5; i++) {
            cache.put(i, packet(300), i);
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
        assertThat(cache.get(4, 10)).isNotNull();
        assertThat(cache.get(0, 10)).isNull();
        cache.clear();
    }

    @Test
    void underRandomReorderDuplicatesAndJumpsEveryReferenceIsReleasedOnce() {
        PacketCache cache = new PacketCache(new PacketCache.Limits(32, 200 * MS, 8000), counters.cache);
        SplittableRandom random = new SplittableRandom(7);
        int seq = 60000;
        long now = 0;
        for (int i = 0; i < 5000; i++) {
            now += random.nextInt(3) * MS;
            int r = random.nextInt(100);
            int s;
            if (r < 70) {
                s = seq = (seq + 1) & 0xFFFF;
            } else if (r < 90) {
                s = (seq - random.nextInt(40)) & 0xFFFF; // reordered or repeated
            } else if (r < 95) {
                s = seq = (seq + random.nextInt(2000)) & 0xFFFF; // a jump
            } else {
                s = seq;
            }
            cache.put(s, packet(1 + random.nextInt(600)), now);
            assertThat(cache.bytes()).isLessThanOrEqualTo(8000 + 600);
            assertThat(cache.count()).isLessThanOrEqualTo(32);
        }
        cache.clear();
        assertThat(made).allMatch(b -> b.refCnt() == 0);
        assertThat(counters.cache.packets()).isZero();
    }
}
