package org.sluice.bandwidth.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sluice.bandwidth.gcc.GoogCcEstimator;
import org.sluice.bandwidth.gcc.ProbeCluster;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

/**
 * Sender of one flow: media of {@link #PACKET_SIZE} bytes paced at the estimator's target rate,
 * plus the probe clusters the estimator hands out, sent as padding at the cluster rate (at least
 * its minimum packets and duration). Each packet gets the next transport-wide sequence number
 * (starting near the wrap) and is reported to the estimator.
 */
final class SimSender {
    static final int PACKET_SIZE = 1200;

    final int flow;
    final GoogCcEstimator estimator;
    private final TransportFeedbackView view = new TransportFeedbackView();
    private final long startNanos;
    private int nextSeq = 65_000;
    private long nextMediaNanos = -1;
    private ProbeCluster probe;
    private int probeLeft;
    private long probeNextNanos;
    private long probeIntervalNanos;
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
        if (nextMediaNanos < 0) {
            nextMediaNanos = nowNanos;
        }
        while (nowNanos >= nextMediaNanos) {
            send(nowNanos, link, -1, false);
            nextMediaNanos += PACKET_SIZE * 8_000_000_000L / Math.max(1, estimator.targetBitrateBps());
        }
        if (probe == null) {
            probe = estimator.nextProbe(nowNanos);
            if (probe != null) {
                probesSent++;
                long bytes = Math.max(probe.minBytes(), (long) probe.minPackets() * PACKET_SIZE);
                probeLeft = (int) Math.max(probe.minPackets(), (bytes + PACKET_SIZE - 1) / PACKET_SIZE);
                probeIntervalNanos = PACKET_SIZE * 8_000_000_000L / Math.max(1, probe.bitrateBps());
                probeNextNanos = nowNanos;
            }
        }
        while (probe != null && nowNanos >= probeNextNanos) {
            send(nowNanos, link, probe.id(), true);
            probeNextNanos += probeIntervalNanos;
            if (--probeLeft == 0) {
                probe = null;
            }
        }
    }

    private void send(long nowNanos, BottleneckLink link, int cluster, boolean padding) {
        int seq = nextSeq & 0xFFFF;
        nextSeq++;
        estimator.onPacketSent(seq, PACKET_SIZE, nowNanos, cluster, padding);
        link.offer(new SimPacket(flow, seq, PACKET_SIZE, nowNanos), nowNanos);
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
