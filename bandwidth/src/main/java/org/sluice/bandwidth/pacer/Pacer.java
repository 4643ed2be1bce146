package org.sluice.bandwidth.pacer;

import java.util.Objects;

/**
 * Paces one transport's egress: items (packets, opaque here) wait in a priority queue and leave at
 * the pacing rate, so a keyframe's burst of packets is spread over time instead of overflowing a
 * router's queue. Pure logic on an injected time base; single-threaded (the transport's event loop
 * owns it); allocates nothing per item once its rings are large enough.
 *
 * <h2>Budget</h2>
 * A token bucket per rate, kept in nanobits (bits × 10⁹) so that {@code rate × elapsed} is exact.
 * The media budget starts with one process interval's worth, so the first item need not wait.
 * The media budget fills at the effective pacing rate (below) up to {@link PacerConfig#burstNanos()}
 * worth of it (at least one {@link PacerConfig#processIntervalNanos() process interval}). An item
 * may be sent while the budget is positive, and its whole size is then charged, so the debt is at
 * most one item; like libwebrtc's {@code IntervalBudget}, this keeps the long-run rate exact and
 * lets a drain every 5 ms send the last 5 ms' worth at once. Every sent item is also charged to the
 * padding budget, which fills at the padding rate: padding only tops up the media rate to the
 * padding rate, as in libwebrtc.
 *
 * <h2>Order</h2>
 * {@link PacingClass#AUDIO} first, then {@link PacingClass#RETRANSMISSION}, then
 * {@link PacingClass#VIDEO}, first in first out within a class; {@link PacingClass#PADDING} only
 * when no media waits and both budgets allow it. Audio is charged to the budget but not held by it
 * (libwebrtc's default, {@code pace_audio} off): queued audio leaves at the next drain, which
 * {@link #nextSendNanos} asks for at once, so it never waits behind a video packet's debt.
 *
 * <h2>Fast path</h2>
 * Most of the time the queue is empty and the budget positive: {@link #canSendNow} then charges the
 * budget and the caller sends at once, without queueing and without a timer.
 *
 * <h2>Queue time</h2>
 * A keyframe burst is queued, not dropped: it drains at the pacing rate. So that the queue cannot
 * grow stale, the rate actually used is raised while the queued media would otherwise wait too long:
 * {@code effective = min(max(pacing, queuedMediaBits / timeLeft), pacing × maxRateBoost)} where
 * {@code timeLeft = max(queueTimeTarget − oldestMediaAge, 1 ms)}. This is libwebrtc's queue time
 * limit, except that it measures the oldest item instead of the average (so it is never late for
 * the oldest) and that the raise is capped, because an SFU cannot ask its sources to slow down the
 * way an encoder does; the allocator lowers layers instead. Items that still wait longer than
 * {@link PacerConfig#maxQueueTimeNanos()} are dropped (handed to the {@link Dropper} to release)
 * and counted; so are the oldest items of the lowest class when the queue is full.
 *
 * <h2>Scheduling</h2>
 * The owner calls {@link #drain} when {@link #nextSendNanos} says so (after an enqueue, after a
 * drain, after {@link #setRates}). While the budget is in debt the next drain is at least one
 * process interval away, so sends come in batches of about 5 ms.
 *
 * @param <T> the item type, e.g. a holder of a protected packet buffer
 */
public final class Pacer<T> {

    /** Receives the items {@link #drain} sends, in order. */
    @FunctionalInterface
    public interface Sink<T> {
        void send(T item, int sizeBytes, PacingClass cls);
    }

    /** Receives the items the pacer gives up, so that their resources (buffers) are released. */
    @FunctionalInterface
    public interface Dropper<T> {
        void drop(T item, int sizeBytes, PacingClass cls, DropReason reason);
    }

    private static final long NANOBITS_PER_BYTE = 8_000_000_000L;
    private static final long MIN_TIME_LEFT_NANOS = 1_000_000L;
    private static final int CLASSES = PacingClass.count();
    private static final int AUDIO = PacingClass.AUDIO.ordinal();
    private static final int PADDING = PacingClass.PADDING.ordinal();

    private final PacerConfig config;
    private final Dropper<T> dropper;
    private final PacketRing<T>[] rings;

    private long pacingBps;
    private long paddingBps;
    private long effectiveBps;
    private long mediaCredit;
    private long paddingCredit;
    private long lastUpdateNanos;
    private boolean started;

    private int queuedItems;
    private long queuedBytes;
    private long queuedMediaBytes;

    private long sentPackets;
    private long sentBytes;
    private long passThroughPackets;
    private long queuedSentPackets;
    private long totalQueueTimeNanos;
    private long maxQueueTimeNanos;
    private final long[] droppedPackets = new long[DropReason.values().length];
    private final long[] droppedBytes = new long[DropReason.values().length];

    @SuppressWarnings("unchecked")
    public Pacer(PacerConfig config, Dropper<T> dropper) {
        this.config = Objects.requireNonNull(config, "config");
        this.dropper = Objects.requireNonNull(dropper, "dropper");
        this.rings = new PacketRing[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            rings[i] = new PacketRing<>(config.initialCapacity());
        }
        this.pacingBps = config.initialPacingBps();
        this.effectiveBps = pacingBps;
    }

    /**
     * Sets the pacing rate (media) and the padding rate, both in bits per second. The time since the
     * last call that took a time is credited at the new rates.
     */
    public void setRates(long pacingBps, long paddingBps) {
        if (pacingBps < 0 || paddingBps < 0) {
            throw new IllegalArgumentException("negative rate");
        }
        this.pacingBps = pacingBps;
        this.paddingBps = paddingBps;
        updateRate(lastUpdateNanos);
    }

    /**
     * The fast path: whether an item of {@code sizeBytes} may be sent right now without queueing,
     * which is when nothing is queued and the media budget is positive. When this returns
     * {@code true} the bytes have been charged and counted as sent: the caller must send the item
     * now. Otherwise the caller {@link #enqueue}s it.
     */
    public boolean canSendNow(int sizeBytes, long nowNanos) {
        refill(nowNanos);
        if (queuedItems != 0 || mediaCredit <= 0) {
            return false;
        }
        charge(sizeBytes);
        passThroughPackets++;
        return true;
    }

    /**
     * Queues an item. Returns {@code false} when it was refused (the queue is full of items of its
     * class or above, or it is padding while the padding rate is zero): the caller keeps it and
     * releases it; the refusal is counted. Once accepted, the item leaves through the {@link Sink}
     * of a {@link #drain} or through the {@link Dropper}.
     */
    public boolean enqueue(T item, int sizeBytes, PacingClass cls, long nowNanos) {
        refill(nowNanos);
        expire(nowNanos);
        if (cls == PacingClass.PADDING && paddingBps == 0) {
            countDrop(DropReason.NO_PADDING_RATE, sizeBytes);
            return false;
        }
        if (queuedItems >= config.maxItems() && !evictFor(cls)) {
            countDrop(DropReason.QUEUE_FULL, sizeBytes);
            return false;
        }
        rings[cls.ordinal()].add(item, sizeBytes, nowNanos);
        queuedItems++;
        queuedBytes += sizeBytes;
        if (cls != PacingClass.PADDING) {
            queuedMediaBytes += sizeBytes;
        }
        updateRate(nowNanos);
        return true;
    }

    /**
     * Sends, in priority order, what the budgets allow now; drops what waited too long first.
     * Returns how many items went to {@code sink}.
     */
    public int drain(long nowNanos, Sink<T> sink) {
        refill(nowNanos);
        expire(nowNanos);
        updateRate(nowNanos);
        int sent = 0;
        PacketRing<T> audio = rings[AUDIO];
        while (!audio.isEmpty()) {
            sendHead(AUDIO, nowNanos, sink); // audio is not held by the budget, only charged to it
            sent++;
        }
        while (queuedItems > 0 && mediaCredit > 0) {
            int cls = firstMediaClass();
            if (cls < 0) {
                if (paddingCredit <= 0) {
                    break;
                }
                cls = PADDING;
            }
            sendHead(cls, nowNanos, sink);
            sent++;
        }
        updateRate(nowNanos);
        return sent;
    }

    private void sendHead(int cls, long nowNanos, Sink<T> sink) {
        PacketRing<T> ring = rings[cls];
        T item = ring.headItem();
        int size = ring.headSize();
        long waited = nowNanos - ring.headTime();
        ring.removeHead();
        queuedItems--;
        queuedBytes -= size;
        if (cls != PADDING) {
            queuedMediaBytes -= size;
        }
        charge(size);
        queuedSentPackets++;
        totalQueueTimeNanos += waited;
        if (waited > maxQueueTimeNanos) {
            maxQueueTimeNanos = waited;
        }
        sink.send(item, size, PacingClass.of(cls));
    }

    /**
     * When the next {@link #drain} should run: {@code nowNanos} if it could send now, a time at
     * least one process interval ahead while the budget is in debt, {@link Long#MAX_VALUE} when
     * nothing is queued (or nothing can ever be sent at a zero rate).
     */
    public long nextSendNanos(long nowNanos) {
        if (queuedItems == 0) {
            return Long.MAX_VALUE;
        }
        if (!rings[AUDIO].isEmpty()) {
            return nowNanos;
        }
        refill(nowNanos);
        long wait = waitFor(mediaCredit, effectiveBps);
        if (firstMediaClass() < 0) {
            wait = Math.max(wait, waitFor(paddingCredit, paddingBps));
        }
        if (wait == 0) {
            return nowNanos;
        }
        if (wait == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return nowNanos + Math.max(wait, config.processIntervalNanos());
    }

    /** Drops every queued item through the {@link Dropper} with {@link DropReason#CLEARED}. */
    public void clear() {
        for (int cls = 0; cls < CLASSES; cls++) {
            PacketRing<T> ring = rings[cls];
            while (!ring.isEmpty()) {
                dropHead(cls, DropReason.CLEARED);
            }
        }
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            lastUpdateNanos = nowNanos;
            mediaCredit = accrue(0, effectiveBps, config.processIntervalNanos()); // the first packet need not wait
            return;
        }
        long elapsed = nowNanos - lastUpdateNanos;
        if (elapsed <= 0) {
            return;
        }
        lastUpdateNanos = nowNanos;
        mediaCredit = accrue(mediaCredit, effectiveBps, elapsed);
        paddingCredit = accrue(paddingCredit, paddingBps, elapsed);
    }

    private long accrue(long credit, long rateBps, long elapsedNanos) {
        long cap = cap(rateBps);
        if (rateBps == 0) {
            return Math.min(credit, cap);
        }
        long room = cap - credit;
        if (room <= 0 || elapsedNanos > room / rateBps) {
            return cap;
        }
        return credit + rateBps * elapsedNanos;
    }

    /** The most credit a budget at this rate may hold: the burst, at least one process interval. */
    private long cap(long rateBps) {
        long window = Math.max(config.burstNanos(), config.processIntervalNanos());
        return rateBps > Long.MAX_VALUE / 2 / window ? Long.MAX_VALUE / 2 : rateBps * window;
    }

    private void charge(int sizeBytes) {
        long cost = sizeBytes * NANOBITS_PER_BYTE;
        // Only unpaced audio can push the debt past one item; bound it by a burst, so a rate of zero
        // (no estimate yet) does not pile up a debt that would hold video back long after.
        mediaCredit = Math.max(mediaCredit - cost, -cap(effectiveBps) - cost);
        paddingCredit = Math.max(paddingCredit - cost, -cap(paddingBps));
        sentPackets++;
        sentBytes += sizeBytes;
    }

    private static long waitFor(long credit, long rateBps) {
        if (credit > 0) {
            return 0;
        }
        if (rateBps == 0) {
            return Long.MAX_VALUE;
        }
        return -credit / rateBps + 1;
    }

    /** The effective rate: the pacing rate, raised so that the queued media leaves in time. */
    private void updateRate(long nowNanos) {
        long rate = pacingBps;
        long target = config.queueTimeTargetNanos();
        if (target > 0 && queuedMediaBytes > 0) {
            long age = nowNanos - oldestMediaTime();
            long left = Math.max(target - age, MIN_TIME_LEFT_NANOS);
            long bits = queuedMediaBytes * 8;
            long needed = bits < Long.MAX_VALUE / 1_000_000_000L
                    ? bits * 1_000_000_000L / left
                    : bits / left * 1_000_000_000L;
            long ceiling = pacingBps > Long.MAX_VALUE / config.maxRateBoost()
                    ? Long.MAX_VALUE : pacingBps * config.maxRateBoost();
            rate = Math.min(Math.max(rate, needed), ceiling);
        }
        effectiveBps = rate;
    }

    private long oldestMediaTime() {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (int cls = 0; cls < PADDING; cls++) {
            PacketRing<T> ring = rings[cls];
            if (!ring.isEmpty() && (!any || ring.headTime() - oldest < 0)) {
                oldest = ring.headTime();
                any = true;
            }
        }
        return oldest;
    }

    private int firstMediaClass() {
        for (int cls = 0; cls < PADDING; cls++) {
            if (!rings[cls].isEmpty()) {
                return cls;
            }
        }
        return -1;
    }

    private void expire(long nowNanos) {
        long limit = config.maxQueueTimeNanos();
        for (int cls = 0; cls < CLASSES; cls++) {
            PacketRing<T> ring = rings[cls];
            while (!ring.isEmpty() && nowNanos - ring.headTime() > limit) {
                dropHead(cls, DropReason.QUEUE_TIME);
            }
        }
    }

    /** Makes room for an item of {@code cls}: evicts the oldest of the lowest class not above it. */
    private boolean evictFor(PacingClass cls) {
        for (int c = PADDING; c >= cls.ordinal(); c--) {
            if (!rings[c].isEmpty()) {
                dropHead(c, DropReason.QUEUE_FULL);
                return true;
            }
        }
        return false;
    }

    private void dropHead(int cls, DropReason reason) {
        PacketRing<T> ring = rings[cls];
        T item = ring.headItem();
        int size = ring.headSize();
        ring.removeHead();
        queuedItems--;
        queuedBytes -= size;
        if (cls != PADDING) {
            queuedMediaBytes -= size;
        }
        countDrop(reason, size);
        dropper.drop(item, size, PacingClass.of(cls), reason);
    }

    private void countDrop(DropReason reason, int sizeBytes) {
        droppedPackets[reason.ordinal()]++;
        droppedBytes[reason.ordinal()] += sizeBytes;
    }

    /** The pacing rate last set, in bits per second. */
    public long pacingRateBps() {
        return pacingBps;
    }

    /** The padding rate last set, in bits per second. */
    public long paddingRateBps() {
        return paddingBps;
    }

    /** The media rate in use: the pacing rate, or more while the queue must catch up. */
    public long effectiveRateBps() {
        return effectiveBps;
    }

    /** Items queued now, all classes. */
    public int queuedPackets() {
        return queuedItems;
    }

    /** Items of one class queued now. */
    public int queuedPackets(PacingClass cls) {
        return rings[cls.ordinal()].size();
    }

    /** Bytes queued now, all classes. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** How long the oldest queued item has waited, 0 when the queue is empty. */
    public long oldestQueueTimeNanos(long nowNanos) {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (int cls = 0; cls < CLASSES; cls++) {
            PacketRing<T> ring = rings[cls];
            if (!ring.isEmpty() && (!any || ring.headTime() - oldest < 0)) {
                oldest = ring.headTime();
                any = true;
            }
        }
        return any ? nowNanos - oldest : 0;
    }

    /** How long the queued media takes to leave at the effective rate. */
    public long expectedQueueTimeNanos() {
        if (queuedMediaBytes == 0 || effectiveBps == 0) {
            return queuedMediaBytes == 0 ? 0 : Long.MAX_VALUE;
        }
        long bits = queuedMediaBytes * 8;
        return bits < Long.MAX_VALUE / 1_000_000_000L
                ? bits * 1_000_000_000L / effectiveBps
                : bits / effectiveBps * 1_000_000_000L;
    }

    /** Items sent, through {@link #canSendNow} or {@link #drain}. */
    public long sentPackets() {
        return sentPackets;
    }

    /** Bytes sent, through {@link #canSendNow} or {@link #drain}. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Items that took the fast path and never queued. */
    public long passThroughPackets() {
        return passThroughPackets;
    }

    /** Items sent from the queue by {@link #drain}. */
    public long queuedSentPackets() {
        return queuedSentPackets;
    }

    /** The sum of the waits of the items sent from the queue; with {@link #queuedSentPackets()} for windowed means. */
    public long totalQueueTimeNanos() {
        return totalQueueTimeNanos;
    }

    /** The mean wait of the items sent from the queue, 0 before any. */
    public long averageQueueTimeNanos() {
        return queuedSentPackets == 0 ? 0 : totalQueueTimeNanos / queuedSentPackets;
    }

    /** The longest wait of an item sent from the queue. */
    public long maxQueueTimeNanos() {
        return maxQueueTimeNanos;
    }

    /** Items given up for {@code reason}, including refused ones. */
    public long droppedPackets(DropReason reason) {
        return droppedPackets[reason.ordinal()];
    }

    /** Bytes given up for {@code reason}, including refused ones. */
    public long droppedBytes(DropReason reason) {
        return droppedBytes[reason.ordinal()];
    }
}
