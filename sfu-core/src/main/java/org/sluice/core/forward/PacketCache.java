package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;

/**
 * The recent packets of one publisher stream on one media loop, by source sequence number, for
 * answering receivers' NACKs. Holds references to the same read-only buffers the fan-out forwarded
 * (never a copy per receiver), so every loop's cache points at the same bytes. Bounded in packets
 * (a ring indexed by sequence number), in age and in bytes; what it evicts it releases.
 *
 * <p>Single writer and reader: the loop it belongs to. Counters are plain fields read racily by
 * metrics.
 */
public final class PacketCache {

    /** The limits of one cache. */
    public record Limits(int packets, long maxAgeNanos, long maxBytes) {
        /** 512 packets, one second, 1 MiB: a second of 4 Mbit/s video. */
        public static final Limits VIDEO = new Limits(512, 1_000_000_000L, 1 << 20);

        public Limits {
            if (Integer.bitCount(packets) != 1 || maxAgeNanos <= 0 || maxBytes <= 0) {
                throw new IllegalArgumentException("packets must be a power of two, limits positive");
            }
        }
    }

    /** What {@link #get} found. */
    public enum Lookup { HIT, MISSING, TOO_OLD }

    private final Limits limits;
    private final CacheTotals totals;
    private final int mask;
    private final ByteBuf[] packets;
    private final int[] sequences;
    private final long[] arrivals;
    /** Sequence number of the oldest entry that may still be held (the eviction cursor). */
    private int oldest;
    /** Newest sequence number put, valid once {@link #count} > 0 or after the first put. */
    private int newest;
    private boolean started;
    private int count;
    private long bytes;
    private Lookup lastLookup = Lookup.MISSING;

    public PacketCache(Limits limits, CacheTotals totals) {
        this.limits = limits;
        this.totals = totals;
        this.mask = limits.packets() - 1;
        this.packets = new ByteBuf[limits.packets()];
        this.sequences = new int[limits.packets()];
        this.arrivals = new long[limits.packets()];
    }

    /**
     * Keeps {@code packet} (takes ownership of this reference) as source sequence {@code sequence},
     * arrived at {@code nowNanos}, evicting what falls out of the limits. A packet older than the
     * ring's reach, or already held, is released at once.
     */
    public void put(int sequence, ByteBuf packet, long nowNanos) {
        sequence &= 0xFFFF;
        if (!started) {
            started = true;
            oldest = sequence;
            newest = sequence;
        } else {
            int ahead = (sequence - newest) & 0xFFFF;
            if (ahead == 0 || ahead >= 0x8000) {
                // Reordered or repeated: keep it if its slot is free and within reach.
                int behind = (newest - sequence) & 0xFFFF;
                int slot = sequence & mask;
                if (behind > mask || packets[slot] != null) {
                    packet.release();
                    return;
                }
                store(slot, sequence, packet, nowNanos);
                if (((oldest - sequence) & 0xFFFF) < 0x8000 && oldest != sequence) {
                    oldest = sequence;
                }
                evict(nowNanos);
                return;
            }
            if (ahead > mask) {
                clear(); // a jump beyond the ring: nothing held is reachable from the new position
                started = true;
                oldest = sequence;
            }
            newest = sequence;
        }
        int slot = sequence & mask;
        if (packets[slot] != null) {
            drop(slot); // the ring lapped it
        }
        store(slot, sequence, packet, nowNanos);
        evict(nowNanos);
    }

    private void store(int slot, int sequence, ByteBuf packet, long nowNanos) {
        packets[slot] = packet;
        sequences[slot] = sequence;
        arrivals[slot] = nowNanos;
        count++;
        int size = packet.readableBytes();
        bytes += size;
        totals.added(size);
    }

    /**
     * The held packet of source sequence {@code sequence} (still owned by the cache: retain it to
     * keep it past this call), or {@code null}; {@link #lastLookup()} says why not.
     */
    public ByteBuf get(int sequence, long nowNanos) {
        sequence &= 0xFFFF;
        int slot = sequence & mask;
        ByteBuf packet = packets[slot];
        if (packet == null || sequences[slot] != sequence) {
            lastLookup = Lookup.MISSING;
            return null;
        }
        if (nowNanos - arrivals[slot] > limits.maxAgeNanos()) {
            lastLookup = Lookup.TOO_OLD;
            return null;
        }
        lastLookup = Lookup.HIT;
        return packet;
    }

    public Lookup lastLookup() {
        return lastLookup;
    }

    /** Releases what is older than the age limit or over the byte limit, oldest first. */
    public void evict(long nowNanos) {
        while (count > 0) {
            int slot = oldest & mask;
            ByteBuf packet = packets[slot];
            if (packet == null || sequences[slot] != oldest) {
                oldest = (oldest + 1) & 0xFFFF; // a hole: nothing to release there
                continue;
            }
            if (nowNanos - arrivals[slot] <= limits.maxAgeNanos() && bytes <= limits.maxBytes()) {
                return;
            }
            drop(slot);
            oldest = (oldest + 1) & 0xFFFF;
        }
    }

    private void drop(int slot) {
        ByteBuf packet = packets[slot];
        packets[slot] = null;
        count--;
        int size = packet.readableBytes();
        bytes -= size;
        totals.removed(size);
        packet.release();
    }

    /** Releases everything (the stream ended, or a jump). */
    public void clear() {
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                drop(i);
            }
        }
        started = false;
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }
}
