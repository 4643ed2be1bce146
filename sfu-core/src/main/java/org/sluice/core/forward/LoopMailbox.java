package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;

import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-off of one publisher stream's packets to one other media loop: a bounded
 * multi-producer/single-consumer queue of read-only packet references, drained by one task per
 * batch, whose packets go out receiver by receiver in groups. Offering allocates nothing; a full queue
 * drops the newest packet rather than blocking the publisher's loop: the drop is counted
 * ({@link RepairCounters#mailboxDrops}) and, for video, a keyframe is asked of the publisher for the receivers on
 * the loop that fell behind ({@link InboundStream#onMailboxDrop}).
 */
final class LoopMailbox {

    private static final int CAPACITY = 1024;
    private static final int DRAIN_BATCH = 256;

    private final InboundStream source;
    private final MediaLoop loop;
    private final Queue<ByteBuf> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Packets fanned out together: {@value RoundFanOut#CAPACITY}, or one with {@code -Dsluice.fanout=packet}. */
    private final ByteBuf[] group = new ByteBuf[RoundFanOut.enabled() ? RoundFanOut.CAPACITY : 1];
    private final RtpPacket[] views = new RtpPacket[group.length];
    private final LongAdder dropped = new LongAdder();

    LoopMailbox(InboundStream source, MediaLoop loop) {
        this.source = source;
        this.loop = loop;
        for (int i = 0; i < views.length; i++) {
            views[i] = new RtpPacket();
        }
    }

    /** Takes ownership of {@code packet}. Any thread (the publisher's loop). */
    void offer(ByteBuf packet) {
        if (!queue.offer(packet)) {
            packet.release();
            dropped.increment();
            source.onMailboxDrop();
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        try {
            loop.eventLoop().execute(drainTask);
        } catch (RejectedExecutionException stopped) {
            // The loop is shutting down and will never drain: release what waits for it.
            ByteBuf packet;
            while ((packet = queue.poll()) != null) {
                packet.release();
                dropped.increment(); // not a media-path drop: the loop is gone with its receivers
            }
            scheduled.set(false);
        }
    }

    /**
     * Forwards what waits, at most {@value #DRAIN_BATCH} packets a task, in groups of up to
     * {@value RoundFanOut#CAPACITY} (one by one with {@code -Dsluice.fanout=packet}) fanned out receiver by
     * receiver (as {@link RoundFanOut} does on the publisher's loop: a receiver's state is loaded once per group),
     * then kept for NACKs in their order.
     */
    private void drain() {
        scheduled.set(false);
        int index = loop.index();
        int drained = 0;
        while (drained < DRAIN_BATCH) {
            int n = 0;
            ByteBuf packet;
            while (n < group.length && drained < DRAIN_BATCH && (packet = queue.poll()) != null) {
                drained++;
                if (views[n].wrap(packet)) {
                    group[n++] = packet;
                } else {
                    packet.release();
                }
            }
            if (n == 0) {
                break;
            }
            forwardGroup(n, index);
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void forwardGroup(int n, int index) {
        try {
            RoundFanOut.forwardReceiverByReceiver(source.slot().sinksByLoop()[index], group, views, n, source, index);
        } finally {
            for (int i = 0; i < n; i++) {
                ByteBuf packet = group[i];
                group[i] = null;
                source.keep(views[i].sequenceNumber(), packet, index); // kept for NACKs (video), else released
            }
        }
    }

    long dropped() {
        return dropped.sum();
    }
}
