package org.sluice.bandwidth.sim;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import java.util.function.LongUnaryOperator;

/**
 * A bottleneck: packets first face seeded random loss, then a drop-tail FIFO of at most
 * {@code queueLimitBytes}, served at the capacity in force when each packet's service starts,
 * then a fixed propagation delay. Records each packet's queuing delay (service start minus
 * enqueue) for the statistics.
 *
 * <p>Optionally a token bucket in front of the serializer ({@link #burst}): while the link is idle it
 * gathers credit at the capacity, up to the burst size, and a packet that finds an idle link and enough
 * credit leaves at once, as through a Linux HTB class (whose default burst is about an MTU plus
 * rate/HZ) or an access link's policer. A probe shorter than the burst then measures line rate.
 */
final class BottleneckLink {
    private final LongUnaryOperator capacityBpsAt;
    private final long queueLimitBytes;
    private final long propagationNanos;
    private LongToDoubleFunction lossRateAt;
    private final Random random;
    private long stallFromNanos = -1;
    private long stallUntilNanos = -1;

    private final ArrayDeque<SimPacket> queue = new ArrayDeque<>();
    private final ArrayDeque<SimPacket> inFlight = new ArrayDeque<>();
    private long queuedBytes;

    long queuedBytes() {
        return queuedBytes;
    }
    private long lastDepartureNanos;
    private long burstBytes;
    private long creditBytes;
    final Stats stats;

    BottleneckLink(LongUnaryOperator capacityBpsAt, long queueLimitBytes, long propagationNanos,
                   double lossRate, long seed, Stats stats) {
        this.capacityBpsAt = capacityBpsAt;
        this.queueLimitBytes = queueLimitBytes;
        this.propagationNanos = propagationNanos;
        this.lossRateAt = t -> lossRate;
        this.random = new Random(seed);
        this.stats = stats;
    }

    /** Lets up to {@code bytes} through at line rate after the link was idle long enough to earn them. */
    BottleneckLink burst(long bytes) {
        this.burstBytes = bytes;
        this.creditBytes = bytes;
        return this;
    }

    /** Replaces the constant random loss rate by one that depends on the time a packet is offered. */
    BottleneckLink loss(LongToDoubleFunction lossRateAt) {
        this.lossRateAt = lossRateAt;
        return this;
    }

    /**
     * Holds every packet that would reach the receiver in {@code [fromNanos, fromNanos + durationNanos)} until the
     * end of that span, then delivers them at once: a receiver (or a radio link) that stalls, as a CPU-starved
     * browser or a Wi-Fi retransmission burst does. Capacity and queue are unchanged: a delay spike, not congestion.
     */
    BottleneckLink stall(long fromNanos, long durationNanos) {
        this.stallFromNanos = fromNanos;
        this.stallUntilNanos = fromNanos + durationNanos;
        return this;
    }

    long propagationNanos() {
        return propagationNanos;
    }

    long capacityBps(long nowNanos) {
        return capacityBpsAt.applyAsLong(nowNanos);
    }

    /** Offers a packet at {@code nowNanos}; false when lost or dropped. */
    boolean offer(SimPacket p, long nowNanos) {
        drain(nowNanos);
        double lossRate = lossRateAt.applyAsDouble(nowNanos);
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            stats.randomLoss++;
            return false;
        }
        if (queuedBytes + p.size > queueLimitBytes) {
            stats.queueDrops++;
            return false;
        }
        long start = Math.max(nowNanos, lastDepartureNanos);
        long capacity = Math.max(1, capacityBpsAt.applyAsLong(start));
        long departure = start + p.size * 8_000_000_000L / capacity;
        if (burstBytes > 0) {
            if (nowNanos > lastDepartureNanos) { // idle since the last departure: credit accrues at the capacity
                creditBytes = Math.min(burstBytes,
                        creditBytes + (nowNanos - lastDepartureNanos) * capacity / 8_000_000_000L);
            }
            if (nowNanos >= lastDepartureNanos && creditBytes >= p.size) {
                creditBytes -= p.size;
                departure = start; // through on credit, at line rate
            }
        }
        p.serviceStartNanos = start;
        p.arrivalNanos = departure + propagationNanos;
        lastDepartureNanos = departure;
        queuedBytes += p.size;
        queue.addLast(p);
        stats.onQueued(p, nowNanos, start - nowNanos);
        return true;
    }

    private void drain(long nowNanos) {
        while (!queue.isEmpty() && queue.peekFirst().arrivalNanos - propagationNanos <= nowNanos) {
            SimPacket p = queue.pollFirst();
            queuedBytes -= p.size;
            inFlight.addLast(p);
        }
    }

    /** Removes and returns the next packet that has reached the receiver by {@code nowNanos}, or null. */
    SimPacket poll(long nowNanos) {
        drain(nowNanos);
        SimPacket next = inFlight.peekFirst();
        if (next != null && next.arrivalNanos >= stallFromNanos && next.arrivalNanos < stallUntilNanos) {
            next.arrivalNanos = stallUntilNanos;
        }
        if (next != null && next.arrivalNanos <= nowNanos) {
            return inFlight.pollFirst();
        }
        return null;
    }
}
