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
 * batch. Offering allocates nothing; a full queue drops the newest packet rather than blocking the
 * publisher's loop: the drop is counted ({@link RepairCounters#mailboxDrops}) and, for video, a keyframe is
 * asked of the publisher for the receivers on the loop that fell behind ({@link InboundStream#onMailboxDrop}).
 */
final class LoopMailbox {

    private static final int CAPACITY = 1024;
    private static final int DRAIN_BATCH = 256;

    private final InboundStream source;
    private final MediaLoop loop;
    private final Queue<ByteBuf> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final RtpPacket view = new RtpPacket();
    private final LongAdder dropped = new LongAdder();

    LoopMailbox(InboundStream source, MediaLoop loop) {
        this.source = source;
        this.loop = loop;
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

    private void drain() {
        scheduled.set(false);
        int index = loop.index();
        for (int n = 0; n < DRAIN_BATCH; n++) {
            ByteBuf packet = queue.poll();
            if (packet == null) {
                return;
            }
            if (!view.wrap(packet)) {
                packet.release();
                continue;
            }
            OutboundStream[] sinks = source.slot().sinksByLoop()[index];
            try {
                for (OutboundStream sink : sinks) {
                    sink.forward(packet, view, source, index);
                }
            } catch (RuntimeException e) {
                packet.release();
                throw e;
            }
            source.keep(view.sequenceNumber(), packet, index); // kept for NACKs (video), else released
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    long dropped() {
        return dropped.sum();
    }
}
