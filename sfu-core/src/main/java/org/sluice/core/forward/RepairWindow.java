package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;

/**
 * Holds a publisher's video packets behind a hole in their sequence numbers for up to a fixed delay, so that the
 * publisher's retransmission (after our NACK) can fill it before anything behind it is forwarded: receivers then get
 * the stream in order and repaired, at the cost of that much latency only while a hole is open. In-order packets
 * pass at once. A hole still open when the oldest packet held behind it has waited the delay is given up on (its
 * packets are counted as skipped) and what follows it is released; a packet that arrives after its hole was given up
 * on is passed on at once (late), a duplicate of a held one is dropped. Bounded by its ring: a packet further ahead
 * than the ring holds releases what is held first. On the publisher's loop only; allocates nothing per packet.
 */
public final class RepairWindow {

    /** Where released packets go, in sequence order; it does not take the window's reference. */
    public interface Sink {
        void release(ByteBuf packet);
    }

    /** The ring: about 1 s of 2.5 Mbit/s video in 1200-byte packets. */
    static final int CAPACITY = 256;

    private final RepairCounters counters;
    private final ByteBuf[] packets = new ByteBuf[CAPACITY];
    private final int[] sequences = new int[CAPACITY];
    private final long[] arrivals = new long[CAPACITY];
    private long delayNanos;
    /** The next sequence number to release, -1 before the first packet. */
    private int next = -1;
    private int held;

    public RepairWindow(long delayNanos, RepairCounters counters) {
        this.delayNanos = delayNanos;
        this.counters = counters;
    }

    /** Changes the delay (it applies to what is held too). */
    public void delay(long nanos) {
        this.delayNanos = nanos;
    }

    /** Packets held now. */
    public int held() {
        return held;
    }

    /**
     * Takes the packet {@code sequence} (the window owns {@code packet}'s reference from now on) and releases to
     * {@code sink}, in order, whatever can go now.
     */
    public void offer(int sequence, ByteBuf packet, long nowNanos, Sink sink) {
        sequence &= 0xFFFF;
        if (next < 0) {
            next = sequence;
        }
        int ahead = (sequence - next) & 0xFFFF;
        if (ahead >= 0x8000) {
            counters.repairWindowLate.increment(); // its hole was given up on, or it was released already
            pass(packet, sink);
            return;
        }
        if (ahead >= 2 * CAPACITY) {
            releaseAll(sink); // a jump (the publisher restarted its numbering): start over from here
            next = sequence;
        } else if (ahead >= CAPACITY) {
            releaseUpTo((sequence - CAPACITY + 1) & 0xFFFF, sink); // too far ahead: make room, oldest first
        }
        int slot = sequence & (CAPACITY - 1);
        if (packets[slot] != null) {
            counters.repairWindowDuplicates.increment(); // the same number is held already
            packet.release();
            return;
        }
        packets[slot] = packet;
        sequences[slot] = sequence;
        arrivals[slot] = nowNanos;
        held++;
        if (sequence != next) {
            counters.repairWindowHeld.increment(); // behind a hole
        }
        drain(sink);
        flush(nowNanos, sink);
    }

    /** Gives up on holes whose first packet behind them has waited the delay, releasing what follows. */
    public void flush(long nowNanos, Sink sink) {
        while (held > 0) {
            int first = firstHeld();
            if (nowNanos - arrivals[first & (CAPACITY - 1)] < delayNanos) {
                return;
            }
            counters.repairWindowSkipped.add((first - next) & 0xFFFF);
            next = first;
            drain(sink);
        }
    }

    /** Releases everything held, in order, and forgets the position (the stream ended or the window is removed). */
    public void releaseAll(Sink sink) {
        while (held > 0) {
            next = firstHeld();
            drain(sink);
        }
        next = -1;
    }

    /** Drops everything held without releasing it (the stream is retired). */
    public void clear() {
        for (int i = 0; i < CAPACITY; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
        held = 0;
        next = -1;
    }

    /** The lowest held sequence number at or after {@link #next}; only while something is held. */
    private int firstHeld() {
        for (int i = 0; i < CAPACITY; i++) {
            int sequence = (next + i) & 0xFFFF;
            int slot = sequence & (CAPACITY - 1);
            if (packets[slot] != null && sequences[slot] == sequence) {
                return sequence;
            }
        }
        throw new IllegalStateException("held packets out of the ring's range");
    }

    private void drain(Sink sink) {
        while (held > 0) {
            int slot = next & (CAPACITY - 1);
            ByteBuf packet = packets[slot];
            if (packet == null || sequences[slot] != next) {
                return;
            }
            packets[slot] = null;
            held--;
            next = (next + 1) & 0xFFFF;
            pass(packet, sink);
        }
    }

    /** Releases in order everything held before {@code target} (skipping the holes) and moves on to it. */
    private void releaseUpTo(int target, Sink sink) {
        while (next != target) {
            int slot = next & (CAPACITY - 1);
            ByteBuf packet = packets[slot];
            if (packet != null && sequences[slot] == next) {
                packets[slot] = null;
                held--;
                pass(packet, sink);
            } else {
                counters.repairWindowSkipped.increment();
            }
            next = (next + 1) & 0xFFFF;
        }
    }

    private static void pass(ByteBuf packet, Sink sink) {
        try {
            sink.release(packet);
        } finally {
            packet.release();
        }
    }
}
