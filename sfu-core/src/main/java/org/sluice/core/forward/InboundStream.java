package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One RTP stream a publisher sends (one SSRC) and its fan-out. Lives on the publisher transport's
 * loop: {@link #forward} runs there, hands the packet to the local receivers directly, and once to
 * each other loop that has receivers. Fields read from other loops are final or volatile.
 */
public final class InboundStream {

    private final long ssrc;
    private final MediaKind kind;
    private final MediaSlot slot;
    private final CodecTable codecs;
    private final ExtensionIds extensionIds;
    private final int clockRate;
    private final KeyframeRequester keyframes;
    private final LoopMailbox[] mailboxes;
    private final MediaLoop[] loops;
    /** Per loop: the packets forwarded to that loop's receivers, for their NACKs; null for audio. */
    private final PacketCache[] caches;
    private final LongSupplier nanoClock;
    private final RepairCounters counters;
    /** Wraps the packet copy a video stream forwards; the publisher's loop only. */
    private final RtpPacket heldView = new RtpPacket();
    /** The broadcast room's repair window delay in nanoseconds (0: none), or null: this stream is never held. */
    private volatile LongSupplier repairDelay;
    /** Created on the publisher's loop once a delay is set; that loop only. */
    private RepairWindow window;
    private final WindowRelease windowRelease = new WindowRelease();
    /** A video stream's packets of the current round, for a fan-out receiver by receiver; null: each at once. */
    private final RoundFanOut round;
    /** The loop the repair window lives on, for {@link #retire}. */
    private volatile MediaLoop windowLoop;
    private volatile boolean retired;
    private volatile LayerRates rates = LayerRates.NONE;
    private volatile IngressQuality quality = IngressQuality.NONE;
    private static final VarHandle LAST_ARRIVAL;

    static {
        try {
            LAST_ARRIVAL = MethodHandles.lookup().findVarHandle(InboundStream.class, "lastArrivalNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile SenderReportMapping senderReport;
    /** Written on the publisher's loop per packet and read by the control plane, both with opaque access. */
    @SuppressWarnings("unused")
    private long lastArrivalNanos = Long.MIN_VALUE;

    public InboundStream(long ssrc, MediaKind kind, MediaSlot slot, CodecTable codecs, ExtensionIds extensionIds,
                         int clockRate, KeyframeRequester keyframes, List<MediaLoop> loops) {
        this(ssrc, kind, slot, codecs, extensionIds, clockRate, keyframes, loops, new RepairCounters(),
                System::nanoTime);
    }

    /**
     * A stream whose video packets are kept per loop for receivers' NACKs ({@link PacketCache.Limits#VIDEO}),
     * counted in {@code counters}; {@code nanoClock} stamps what the caches hold.
     */
    public InboundStream(long ssrc, MediaKind kind, MediaSlot slot, CodecTable codecs, ExtensionIds extensionIds,
                         int clockRate, KeyframeRequester keyframes, List<MediaLoop> loops, RepairCounters counters,
                         LongSupplier nanoClock) {
        this.ssrc = ssrc;
        this.kind = kind;
        this.slot = slot;
        this.codecs = codecs;
        this.extensionIds = extensionIds;
        this.clockRate = clockRate;
        this.keyframes = keyframes;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.mailboxes = new LoopMailbox[loops.size()];
        this.loops = new MediaLoop[loops.size()];
        this.caches = kind == MediaKind.VIDEO ? new PacketCache[loops.size()] : null;
        this.round = caches != null && RoundFanOut.enabled() ? new RoundFanOut(this) : null;
        for (MediaLoop loop : loops) {
            mailboxes[loop.index()] = new LoopMailbox(this, loop);
            this.loops[loop.index()] = loop;
            if (caches != null) {
                caches[loop.index()] = new PacketCache(PacketCache.Limits.VIDEO, counters.cache);
            }
        }
    }

    public long ssrc() {
        return ssrc;
    }

    public MediaKind kind() {
        return kind;
    }

    public MediaSlot slot() {
        return slot;
    }

    public CodecTable codecs() {
        return codecs;
    }

    public ExtensionIds extensionIds() {
        return extensionIds;
    }

    public int clockRate() {
        return clockRate;
    }

    public KeyframeRequester keyframes() {
        return keyframes;
    }

    /**
     * A packet of this stream was dropped on its way to another loop (its mailbox was full): counted, and for video
     * a keyframe is asked for (throttled), since that loop's receivers now miss a packet their decoders need and
     * no NACK can be answered from the cache for it. Any thread (the publisher's loop, or a loop shutting down).
     */
    void onMailboxDrop() {
        counters.mailboxDrops.increment();
        if (kind == MediaKind.VIDEO) {
            keyframes.request(RepairCounters.KeyframeCause.OVERFLOW);
        }
    }

    public SenderReportMapping senderReport() {
        return senderReport;
    }

    /** What this stream delivers per layer, measured at ingress (about twice a second); any thread. */
    public LayerRates rates() {
        return rates;
    }

    /** Publishes freshly measured rates (cumulative, indexed spatial * LAYERS + temporal); the publisher's loop. */
    public void publishRates(double[] framesPerSecond, long[] bitsPerSecond) {
        rates = new LayerRates(framesPerSecond, bitsPerSecond);
    }

    /** How regularly this stream arrives (jitter, frame delay variation), published with its rates; any thread. */
    public IngressQuality quality() {
        return quality;
    }

    /** Publishes freshly measured jitter figures; the publisher's loop. */
    public void publishQuality(IngressQuality measured) {
        quality = measured;
    }

    /**
     * Records that a packet of this stream arrived at {@code nanos}; on the publisher's loop, per packet (an opaque
     * store: no fence, no allocation).
     */
    public void markArrival(long nanos) {
        LAST_ARRIVAL.setOpaque(this, nanos);
    }

    /** When the last packet arrived ({@link Long#MIN_VALUE} before the first); any thread. */
    public long lastArrivalNanos() {
        return (long) LAST_ARRIVAL.getOpaque(this);
    }

    public void onSenderReport(long rtpTimestamp, long ntpMiddle32, long arrivalNanos) {
        senderReport = new SenderReportMapping(rtpTimestamp, ntpMiddle32, arrivalNanos);
    }

    /**
     * Fans a decrypted packet out, on the publisher's loop. {@code view} wraps {@code packet}. Does
     * not take ownership of {@code packet}: other loops get their own reference to the same buffer
     * (a reference count, not a copy), so after this call nobody may change the packet's bytes or
     * its reader/writer indices; the caller only releases it.
     *
     * <p>A video packet is first copied once into a buffer of its own size: that copy is what every
     * loop forwards and keeps in its {@link PacketCache} for receivers' NACKs, so a cached packet
     * never pins the large receive buffer the socket read it into.
     */
    public void forward(ByteBuf packet, RtpPacket view, MediaLoop here) {
        if (slot.source() != this) {
            return;
        }
        OutboundStream[][] sinks = slot.sinksByLoop();
        if (caches == null) {
            fanOut(packet, view, here, sinks, false);
            return;
        }
        int length = packet.readableBytes();
        ByteBuf held = packet.alloc().directBuffer(length, length);
        try {
            held.writeBytes(packet, packet.readerIndex(), length);
            if (!heldView.wrap(held)) {
                return;
            }
            LongSupplier delay = repairDelay;
            long delayNanos = delay == null ? 0 : delay.getAsLong();
            if (delayNanos > 0 || window != null) {
                hold(held, heldView.sequenceNumber(), delayNanos, here);
            } else {
                fanOut(held, heldView, here, sinks, true);
            }
        } finally {
            held.release();
        }
    }

    /**
     * Holds this video stream's packets behind holes for up to what {@code delayNanos} supplies (a broadcast room's
     * repair window, read per packet so a change applies at once; 0 turns it off). Set once, before packets flow.
     */
    public void useRepairWindow(LongSupplier delayNanos) {
        if (kind == MediaKind.VIDEO) {
            this.repairDelay = delayNanos;
        }
    }

    /** Through the repair window: released in order (now, or once a hole fills or is given up on). */
    private void hold(ByteBuf held, int sequence, long delayNanos, MediaLoop here) {
        windowRelease.loop = here;
        if (window == null) {
            window = new RepairWindow(delayNanos, counters);
            windowLoop = here;
        }
        if (delayNanos <= 0) {
            window.releaseAll(windowRelease); // turned off: what is held goes now, then cut-through again
            window = null;
            if (heldView.wrap(held)) {
                fanOut(held, heldView, here, slot.sinksByLoop(), true);
            }
            return;
        }
        window.delay(delayNanos);
        window.offer(sequence, held.retain(), nanoClock.getAsLong(), windowRelease);
    }

    /** Releases what waited the repair window's delay behind a hole; on the publisher's loop, from its timer. */
    public void flushRepairWindow(long nowNanos, MediaLoop here) {
        RepairWindow w = window;
        if (w != null && w.held() > 0) {
            windowRelease.loop = here;
            w.flush(nowNanos, windowRelease);
        }
    }

    /** Fans out what the repair window releases, on the publisher's loop. */
    private final class WindowRelease implements RepairWindow.Sink {
        private final RtpPacket view = new RtpPacket();
        private MediaLoop loop;

        @Override
        public void release(ByteBuf packet) {
            if (slot.source() == InboundStream.this && !retired && view.wrap(packet)) {
                fanOut(packet, view, loop, slot.sinksByLoop(), true);
            }
        }
    }

    /**
     * Hands the packet to the receivers on {@code here} (now, or with the rest of the round's when {@link #round}
     * gathers them) and a reference to each other loop with receivers; with {@code cache}, keeps it for NACKs.
     */
    private void fanOut(ByteBuf packet, RtpPacket view, MediaLoop here, OutboundStream[][] sinks, boolean cache) {
        int local = here.index();
        for (int i = 0; i < sinks.length; i++) {
            OutboundStream[] onLoop = sinks[i];
            if (i == local && cache && round != null && here.inLoop() && (onLoop.length > 0 || round.isStarted())) {
                // Forwarded, then kept, when the round's tasks run, to the receivers there are then. Once a round
                // has started it takes every packet, receivers or not: a receiver that is back by then must see
                // the source's sequence as it was, not with the packets left out while nobody was receiving.
                round.add(packet, here);
                continue;
            }
            if (onLoop.length == 0) {
                continue;
            }
            if (i == local) {
                for (OutboundStream sink : onLoop) {
                    sink.forward(packet, view, this, i);
                }
                if (cache) {
                    caches[i].put(view.sequenceNumber(), packet.retain(), nanoClock.getAsLong());
                }
            } else {
                mailboxes[i].offer(packet.retain());
            }
        }
    }

    /**
     * Keeps a packet forwarded on loop {@code loopIndex} for its receivers' NACKs, taking ownership of
     * this reference; on that loop. Audio and retired streams release it at once.
     */
    void keep(int sequenceNumber, ByteBuf packet, int loopIndex) {
        if (caches == null || retired) {
            packet.release();
            return;
        }
        caches[loopIndex].put(sequenceNumber, packet, nanoClock.getAsLong());
    }

    /** Whether this stream is its slot's source and not retired: its packets are forwarded. */
    boolean isLive() {
        return slot.source() == this && !retired;
    }

    /** The receivers per loop, as the slot has them now. */
    OutboundStream[][] sinksByLoop() {
        return slot.sinksByLoop();
    }

    /** This stream's packets kept on loop {@code loopIndex}, or null for audio; on that loop only. */
    PacketCache cache(int loopIndex) {
        return caches == null || loopIndex < 0 || loopIndex >= caches.length ? null : caches[loopIndex];
    }

    /**
     * The stream ended: each loop releases what its cache holds (on that loop), and packets still
     * on their way are no longer kept. Idempotent; any thread.
     */
    public void retire() {
        if (retired) {
            return;
        }
        retired = true;
        MediaLoop held = windowLoop;
        if (held != null) {
            Runnable drop = () -> {
                if (window != null) {
                    window.clear();
                }
            };
            try {
                held.eventLoop().execute(drop);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                drop.run(); // the loop has stopped; nothing runs there any more
            }
        }
        if (caches == null) {
            return;
        }
        for (MediaLoop loop : loops) {
            PacketCache cache = caches[loop.index()];
            try {
                loop.eventLoop().execute(cache::clear);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // The loop has stopped; nothing runs there any more, so clear from here.
                cache.clear();
            }
        }
    }
}
