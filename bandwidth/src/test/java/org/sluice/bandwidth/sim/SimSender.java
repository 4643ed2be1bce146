package org.sluice.bandwidth.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sluice.bandwidth.gcc.GoogCcEstimator;
import org.sluice.bandwidth.gcc.ProbeCluster;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

/**
 * Sender of one flow: media of {@link #PACKET_SIZE} bytes paced at the estimator's target rate
 * (or, application limited, at a layer's rate), plus the probe clusters the estimator hands out: as
 * in a real pacer, media sent during a cluster is tagged with it and padding makes up the rest of the
 * cluster's rate (at least its minimum packets and duration). Each packet gets the next transport-wide sequence number
 * (starting near the wrap) and is reported to the estimator.
 */
final class SimSender {
    static final int PACKET_SIZE = 1200;
    /** Padding packets are this small, as the engine's (an RTP packet carries at most 255 bytes of padding). */
    static final int PADDING_SIZE = 250;

    final int flow;
    final GoogCcEstimator estimator;
    private final TransportFeedbackView view = new TransportFeedbackView();
    private final long startNanos;
    private int nextSeq = 65_000;
    private long nextMediaNanos = -1;
    private ProbeCluster probe;
    private long probeStartNanos;
    private long probeBytesDue;
    private long probeSentBytes;
    private int probePackets;
    long probesSent;
    private long desiredBps;
    private long upgradeIntervalNanos;
    private long nextUpgradeNanos;
    long upgradeProbes;

    SimSender(int flow, GoogCcEstimator estimator, long startNanos) {
        this.flow = flow;
        this.estimator = estimator;
        this.startNanos = startNanos;
    }

    /**
     * Models an allocator that wants {@code desiredBps} (the layers its subscribers ask for): every
     * {@code intervalNanos} while the target is below that, it asks the estimator for a probe at
     * {@link #UPGRADE_STEP} × the target (at most the desired rate) before it would upgrade.
     */
    void allocator(long desiredBps, long intervalNanos) {
        this.desiredBps = desiredBps;
        this.upgradeIntervalNanos = intervalNanos;
        this.nextUpgradeNanos = startNanos + intervalNanos;
    }

    /** Rate of the next upgrade the modelled allocator probes for, times the target. */
    static final double UPGRADE_STEP = 1.5;
    /** Headroom the modelled layer allocator wants before an upgrade (the real allocator's 15%). */
    static final double LAYER_HEADROOM = 1.15;
    /** How often the modelled layer allocator runs (the real one: every 500 ms). */
    static final long LAYER_INTERVAL_NANOS = 500_000_000L;

    private long[] ladder;
    private int rung = -1;
    private long nextLayerNanos;
    long layerProbes;
    /** From when {@link #fractionOnRung} counts. */
    static final long RUNG_COUNT_FROM_NANOS = 10_000_000_000L;
    private long[] rungNanos;
    private long countedNanos;

    /**
     * Makes the flow application limited, like a receiver of simulcast layers: media goes at the rate of
     * one rung of {@code ladderBps} (ascending), chosen every {@link #LAYER_INTERVAL_NANOS} as the highest the
     * target carries (an upgrade needs {@link #LAYER_HEADROOM}); when the next rung needs more than the
     * target, it asks for a probe at that need, as {@code LegAllocator} does.
     */
    void layers(long... ladderBps) {
        this.ladder = ladderBps.clone();
        this.rungNanos = new long[ladderBps.length];
        this.nextLayerNanos = startNanos;
    }

    /** The rate of the rung the modelled layer allocator is on, or -1. */
    long layerBps() {
        return ladder == null || rung < 0 ? -1 : ladder[rung];
    }

    /** The fraction of the time from {@link #RUNG_COUNT_FROM_NANOS} spent on rung {@code index}. */
    double fractionOnRung(int index) {
        return countedNanos == 0 ? 0 : (double) rungNanos[index] / countedNanos;
    }

    private void allocateLayer(long nowNanos) {
        long target = estimator.targetBitrateBps();
        int best = -1;
        for (int i = 0; i < ladder.length; i++) {
            double need = i > rung ? ladder[i] * LAYER_HEADROOM : ladder[i];
            if (need <= target) {
                best = i;
            }
        }
        rung = Math.max(0, best);
        if (rung + 1 < ladder.length && estimator.requestProbe((long) (ladder[rung + 1] * LAYER_HEADROOM), nowNanos)) {
            layerProbes++;
        }
    }

    private long mediaBps() {
        long target = Math.max(1, estimator.targetBitrateBps());
        return ladder == null ? target : Math.min(target, ladder[Math.max(0, rung)]);
    }

    void step(long nowNanos, BottleneckLink link) {
        if (nowNanos < startNanos) {
            return;
        }
        if (desiredBps > 0 && nowNanos >= nextUpgradeNanos) {
            nextUpgradeNanos += upgradeIntervalNanos;
            long target = estimator.targetBitrateBps();
            if (target < desiredBps
                    && estimator.requestProbe(Math.min(desiredBps, (long) (target * UPGRADE_STEP)), nowNanos)) {
                upgradeProbes++;
            }
        }
        if (ladder != null && nowNanos >= nextLayerNanos) {
            nextLayerNanos += LAYER_INTERVAL_NANOS;
            allocateLayer(nowNanos);
        }
        if (ladder != null && nowNanos >= RUNG_COUNT_FROM_NANOS && rung >= 0) {
            rungNanos[rung] += Simulation.STEP_NANOS;
            countedNanos += Simulation.STEP_NANOS;
        }
        if (nextMediaNanos < 0) {
            nextMediaNanos = nowNanos;
        }
        if (probe == null) {
            probe = estimator.nextProbe(nowNanos);
            if (probe != null) {
                probesSent++;
                probeStartNanos = nowNanos;
                probeBytesDue = probe.minBytes();
                probeSentBytes = 0;
                probePackets = 0;
            }
        }
        while (nowNanos >= nextMediaNanos) {
            send(nowNanos, link, probe == null ? -1 : probe.id(), false, PACKET_SIZE);
            nextMediaNanos += PACKET_SIZE * 8_000_000_000L / mediaBps();
        }
        if (probe != null) {
            // Media sent during the cluster belongs to it; padding only makes up what media leaves short of the rate.
            long elapsed = nowNanos - probeStartNanos;
            long due = Math.min(probeBytesDue, (elapsed + Simulation.STEP_NANOS) * probe.bitrateBps() / 8_000_000_000L);
            while (probeSentBytes < due) {
                send(nowNanos, link, probe.id(), true, PADDING_SIZE);
            }
            if (probeSentBytes >= probeBytesDue && probePackets >= probe.minPackets()
                    && elapsed >= probe.minDurationNanos()) {
                probe = null;
            }
        }
    }

    private void send(long nowNanos, BottleneckLink link, int cluster, boolean padding, int size) {
        int seq = nextSeq & 0xFFFF;
        nextSeq++;
        estimator.onPacketSent(seq, size, nowNanos, cluster, padding);
        if (cluster >= 0) {
            probeSentBytes += size;
            probePackets++;
        }
        link.offer(new SimPacket(flow, seq, size, nowNanos), nowNanos);
    }

    /** Parses a compound of feedback packets and gives each to the estimator. */
    void onFeedback(byte[] bytes, long nowNanos) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        int off = 0;
        while (off + 4 <= bytes.length) {
            int length = (buf.getUnsignedShort(off + 2) + 1) * 4;
            if (view.wrap(buf, off, Math.min(length, bytes.length - off))) {
                estimator.onTransportFeedback(view, nowNanos);
            }
            off += length;
        }
    }
}
