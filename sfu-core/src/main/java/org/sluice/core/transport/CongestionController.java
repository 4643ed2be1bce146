package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.sluice.bandwidth.gcc.GccSettings;
import org.sluice.bandwidth.gcc.GccSnapshot;
import org.sluice.bandwidth.gcc.GoogCcEstimator;
import org.sluice.bandwidth.gcc.ProbeCluster;
import org.sluice.bandwidth.pacer.DropReason;
import org.sluice.bandwidth.pacer.Pacer;
import org.sluice.bandwidth.pacer.PacerConfig;
import org.sluice.bandwidth.pacer.PacingClass;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Send-side congestion control of one receiver's transport, on the transport's loop: every media packet we send
 * the peer carries a transport-wide sequence number; the peer's transport-cc feedback drives a GCC estimator
 * ({@link GoogCcEstimator}); a {@link Pacer} releases packets at a multiple of the estimate (audio and
 * retransmissions first), passing them straight through while under budget; probe clusters the estimator asks
 * for are sent as RTX padding so the estimate can grow past what media alone shows.
 *
 * <p>The sequence number is stamped when a packet is protected (SRTP authenticates the header), which is when
 * it enters the pacer; the estimator is told of the packet when it actually leaves, so pacer queuing never reads
 * as network delay. Queued packets of different classes can leave out of sequence order, which costs the
 * estimator those samples and nothing else.
 */
public final class CongestionController {

    /** Sends a protected packet on the transport's path; takes ownership. */
    @FunctionalInterface
    public interface Wire {
        void send(ByteBuf packet);
    }

    /** Writes padding for a probe: a padding-only RTX packet of about {@code bytes}, or null when none can be sent. */
    @FunctionalInterface
    public interface PaddingSource {
        ByteBuf padding(int bytes, int transportSequence);
    }

    /** A queued packet and what the estimator is told when it leaves; pooled, reused. */
    private static final class Paced {
        ByteBuf packet;
        int sequence;
        int probeCluster;
        boolean repair;
    }

    private static final int POOL = 512;
    private static final int PROBE_PACKET_BYTES = 250;
    private static final long PROBE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A cluster that has not gone out this long after its expected duration is abandoned. */
    private static final long PROBE_GIVE_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long DRAIN_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Probes go out only while media went out this recently. */
    private static final long MEDIA_RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final GoogCcEstimator estimator;
    private final Pacer<Paced> pacer;
    private final LongSupplier nanoClock;
    private final Wire wire;
    private final EventLoop loop;
    private final Paced[] pool = new Paced[POOL];
    private int pooled;
    private final Pacer.Sink<Paced> sink = this::leave;
    private final Runnable drainTask = this::drain;
    private final Runnable probeTask = this::sendProbe;
    /** The probe cluster being sent, or null; the loop's. */
    private ProbeCluster probe;
    private long probeStartNanos;
    private long probeBytesDue;
    private long probeSentBytes;
    private int probePackets;
    private final GccSnapshot snapshot = new GccSnapshot();
    private PaddingSource padding;
    private int nextSequence;
    private boolean drainScheduled;
    private long appliedPacingBps = -1;
    private long packetsSent;
    private long probePacketsSent;
    private long probeBytesSent;
    private long unpooledSends;
    private long lastMediaNanos = Long.MIN_VALUE / 2;
    private volatile long feedbackReceived;
    private volatile long targetBps;

    private final CongestionCounters counters;

    public CongestionController(GccSettings settings, LongSupplier nanoClock, EventLoop loop, Wire wire,
                                CongestionCounters counters) {
        this.counters = counters;
        this.estimator = new GoogCcEstimator(settings);
        this.nanoClock = nanoClock;
        this.loop = loop;
        this.wire = wire;
        this.pacer = new Pacer<>(PacerConfig.defaults(), this::dropped);
        for (int i = 0; i < POOL; i++) {
            pool[i] = new Paced();
        }
        pooled = POOL;
        this.targetBps = estimator.targetBitrateBps();
        applyRates();
    }

    /** Who writes probe padding (a video stream of this receiver with RTX); null for none. */
    public void paddingFrom(PaddingSource source) {
        this.padding = source;
    }

    /** The transport-wide sequence number for the next packet we protect. */
    public int nextSequence() {
        int sequence = nextSequence;
        nextSequence = (nextSequence + 1) & 0xFFFF;
        return sequence;
    }

    /**
     * A protected packet carrying transport-wide sequence number {@code sequence}; takes ownership. It leaves at
     * once when the pacer's budget allows, else queues.
     */
    public void send(ByteBuf packet, int sequence, PacingClass cls) {
        long now = nanoClock.getAsLong();
        int size = packet.readableBytes();
        if (pacer.canSendNow(size, now)) {
            transmit(packet, sequence, -1, cls == PacingClass.RETRANSMISSION, now);
            return;
        }
        if (pooled == 0) {
            unpooledSends++; // more queued than the pool holds: send rather than allocate
            transmit(packet, sequence, -1, cls == PacingClass.RETRANSMISSION, now);
            return;
        }
        Paced paced = pool[--pooled];
        paced.packet = packet;
        paced.sequence = sequence;
        paced.probeCluster = -1;
        paced.repair = cls == PacingClass.RETRANSMISSION;
        if (!pacer.enqueue(paced, size, cls, now)) {
            recycle(paced);
            packet.release();
            counters.pacerDrops.increment();
            return;
        }
        counters.pacedPackets.increment();
        scheduleDrain(now);
    }

    private void transmit(ByteBuf packet, int sequence, int probeCluster, boolean repair, long now) {
        int cluster = probeCluster;
        if (cluster < 0) {
            lastMediaNanos = now;
            ProbeCluster current = probe;
            if (current != null) {
                // Media sent while a cluster goes out is part of it: the probe measures the total rate, and its
                // padding only makes up what the media leaves short of the cluster's rate (else media plus a full
                // cluster of padding would overshoot the link and measure only the padding's share of it).
                cluster = current.id();
                probeSentBytes += packet.readableBytes();
                probePackets++;
            }
        }
        estimator.onPacketSent(sequence, packet.readableBytes(), now, cluster, repair);
        packetsSent++;
        wire.send(packet);
    }

    private void leave(Paced paced, int size, PacingClass cls) {
        ByteBuf packet = paced.packet;
        int sequence = paced.sequence;
        int cluster = paced.probeCluster;
        boolean repair = paced.repair;
        recycle(paced);
        transmit(packet, sequence, cluster, repair, nanoClock.getAsLong());
    }

    private void dropped(Paced paced, int size, PacingClass cls, DropReason reason) {
        counters.pacerDrops.increment();
        ByteBuf packet = paced.packet;
        recycle(paced);
        packet.release();
    }

    private void recycle(Paced paced) {
        paced.packet = null;
        pool[pooled++] = paced;
    }

    private void scheduleDrain(long now) {
        if (drainScheduled) {
            return;
        }
        long next = pacer.nextSendNanos(now);
        if (next == Long.MAX_VALUE) {
            return;
        }
        drainScheduled = true;
        loop.schedule(drainTask, Math.max(next - now, DRAIN_FLOOR_NANOS), TimeUnit.NANOSECONDS);
    }

    private void drain() {
        drainScheduled = false;
        long now = nanoClock.getAsLong();
        pacer.drain(now, sink);
        scheduleDrain(now);
    }

    /** The peer's transport-cc feedback about what we sent. */
    public void onTransportFeedback(TransportFeedbackView feedback) {
        feedbackReceived++;
        counters.feedbackReceived.increment();
        estimator.onTransportFeedback(feedback, nanoClock.getAsLong());
        applyRates();
    }

    /** A REMB from a peer that estimates on its side. */
    public void onRemb(long bitrateBps) {
        feedbackReceived++;
        long ignoredBefore = estimator.rembsIgnored();
        estimator.onRemb(bitrateBps, nanoClock.getAsLong());
        if (estimator.rembsIgnored() != ignoredBefore) {
            counters.rembsIgnored.increment();
        }
        applyRates();
    }

    public void onRoundTrip(long rttNanos) {
        estimator.onRtt(rttNanos);
    }

    /** Asks for a probe toward {@code targetBps} before an upgrade that needs more than the estimate. */
    public void requestProbe(long targetBps) {
        estimator.requestProbe(targetBps, nanoClock.getAsLong());
    }

    /**
     * Starts what probe the estimator wants now; from the leg's tick. Only while media flows: a receiver that gets
     * nothing (its publisher left) is not sent padding either. A cluster's packets are spread at the probe's own
     * rate over its duration (a millisecond timer), since the estimator reads the probe's rate from their send
     * times: a burst would tell it nothing.
     */
    public void onTick() {
        onTick(nanoClock.getAsLong());
    }

    /** {@link #onTick()} at {@code now}, a reading of the controller's clock the caller already has. */
    public void onTick(long now) {
        if (probe != null || padding == null || now - lastMediaNanos > MEDIA_RECENT_NANOS) {
            return;
        }
        ProbeCluster cluster = estimator.nextProbe(now);
        if (cluster == null) {
            return;
        }
        probe = cluster;
        probeStartNanos = now;
        probeBytesDue = cluster.minBytes();
        probeSentBytes = 0;
        probePackets = 0;
        sendProbe();
    }

    /** Sends the probe's packets due by now at its rate, and comes back in a millisecond until it is done. */
    private void sendProbe() {
        ProbeCluster cluster = probe;
        PaddingSource source = padding;
        if (cluster == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        long elapsed = now - probeStartNanos;
        long due = Math.min(probeBytesDue, (elapsed + PROBE_STEP_NANOS) * cluster.bitrateBps() / 8_000_000_000L);
        while (source != null && (probeSentBytes < due || probePackets < 1)) {
            int sequence = nextSequence();
            ByteBuf packet = source.padding(PROBE_PACKET_BYTES, sequence);
            if (packet == null) {
                probe = null;
                return;
            }
            int size = packet.readableBytes();
            probePacketsSent++;
            probeBytesSent += size;
            probeSentBytes += size;
            probePackets++;
            counters.probePackets.increment();
            counters.probeBytes.add(size);
            transmit(packet, sequence, cluster.id(), true, now);
        }
        boolean done = probeSentBytes >= probeBytesDue && probePackets >= cluster.minPackets()
                && elapsed >= cluster.minDurationNanos();
        if (done || elapsed > cluster.expectedDurationNanos() + PROBE_GIVE_UP_NANOS) {
            probe = null;
            return;
        }
        loop.schedule(probeTask, PROBE_STEP_NANOS, TimeUnit.NANOSECONDS);
    }

    private void applyRates() {
        long pacing = estimator.pacingRateBps();
        targetBps = estimator.targetBitrateBps();
        if (pacing != appliedPacingBps) {
            appliedPacingBps = pacing;
            pacer.setRates(pacing, 0);
        }
    }

    /** Whether the receiver sent transport-cc feedback (or REMB): only then does the estimate mean anything. */
    public boolean hasFeedback() {
        return feedbackReceived > 0;
    }

    /** transport-cc feedback packets received; read racily. */
    public long feedbackReceived() {
        return feedbackReceived;
    }

    /** The estimate: what the link to this receiver carries, in bits per second. Any thread. */
    public long targetBitrateBps() {
        return targetBps;
    }

    /** The estimator's internals for diagnostics; on the loop. */
    public GccSnapshot snapshot() {
        return estimator.snapshot(snapshot);
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long probePacketsSent() {
        return probePacketsSent;
    }

    public long probeBytesSent() {
        return probeBytesSent;
    }

    public int queuedPackets() {
        return pacer.queuedPackets();
    }

    public long queueDrops() {
        long total = 0;
        for (DropReason reason : DropReason.values()) {
            total += pacer.droppedPackets(reason);
        }
        return total;
    }

    /** Releases what the pacer holds (the transport closed); on the loop. */
    public void close() {
        probe = null;
        pacer.clear();
    }
}
