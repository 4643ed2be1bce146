package org.sluice.bandwidth.gcc;

import org.sluice.bandwidth.history.PacketResults;
import org.sluice.bandwidth.history.SendHistory;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

/**
 * Send-side Google congestion control for one transport: the one object the transport talks to.
 *
 * <p>Inputs: every packet sent with a transport-wide sequence number ({@link #onPacketSent}), each
 * transport-cc feedback ({@link #onTransportFeedback}), REMB ({@link #onRemb}) for receivers that
 * only do that, RTT ({@link #onRtt}) and receiver-report loss ({@link #onLossReport}). Outputs: the
 * target bitrate for the allocator, the pacing rate ({@link #PACING_FACTOR} × target), probe
 * clusters for the pacer ({@link #nextProbe}) and the application-limited state.
 *
 * <p>The target is the loss-based rate, which never exceeds the delay-based rate (from transport
 * feedback) nor the last REMB, clamped to the settings. Each feedback runs, in arrival order,
 * every received packet through the acknowledged-rate estimator, the probe estimator (probe
 * packets) and the delay-based estimator; then the delay-based rate is updated once (a probe
 * result above it replaces it; any probe result, capped by the delay-based rate, resets the loss-based rate
 * when it is higher), and loss is accounted.
 *
 * <p>Wiring: call {@link #onPacketSent} for every packet that carries a transport-wide sequence
 * number, media, retransmission, padding and probe alike, with the probe cluster id when it was
 * sent for one; give each parsed feedback packet of a compound to {@link #onTransportFeedback}.
 * The pacer asks {@link #nextProbe} on each of its ticks; a cluster it gets is sent at the
 * cluster's rate, at least {@link ProbeCluster#minPackets()} packets and {@link
 * ProbeCluster#minBytes()} bytes, each tagged with its id, using padding when there is not enough
 * media. Probes while application limited ({@link #inAlr()}) only help if the pacer can pad.
 *
 * <p>Hostile input (invalid feedback, unknown sequence numbers, negative sizes or rates) is
 * ignored. After construction nothing is allocated per packet or per feedback except the probe
 * clusters handed out and, a few times at most, the send history's ring as it doubles under a
 * high packet rate or slow feedback (it starts at {@link SendHistory#DEFAULT_INITIAL_CAPACITY}
 * packets). Not thread-safe: one transport thread drives it.
 */
public final class GoogCcEstimator {
    /** Pacing rate over target. */
    public static final double PACING_FACTOR = 2.5;
    /** Time after a delay-based decrease during which requested probes are refused. */
    public static final long PROBE_HOLDOFF_AFTER_DECREASE_NANOS = 3_000_000_000L;
    private static final long MAX_RTT_NANOS = 60_000_000_000L;

    private final GccSettings settings;
    private final SendHistory history = new SendHistory();
    private final PacketResults results = new PacketResults(512);
    private int[] order = new int[512];
    private final DelayBasedEstimator delayBased;
    private final LossBasedControl lossBased;
    private final AcknowledgedBitrateEstimator acked = new AcknowledgedBitrateEstimator();
    private final AlrDetector alr;
    private final ProbeController probeController;
    private final ProbeBitrateEstimator probeEstimator = new ProbeBitrateEstimator();

    private long targetBps;
    private boolean feedbackSeen;
    private long rembBps = -1;
    private long rembsIgnored;
    private long lastFeedbackNanos;
    /** How long after the last transport-cc feedback a REMB is still ignored. */
    public static final long REMB_SUPERSEDED_NANOS = 2_000_000_000L;
    private long rttNanos = -1;
    private long feedbackCount;
    private long lastAlrEndedNanos = Long.MIN_VALUE;
    /** How long after application-limited sending ended a large drop still counts as possibly spurious. */
    public static final long ALR_ENDED_RECOVERY_NANOS = 3_000_000_000L;
    private long lastProbeResultBps = -1;
    /** The highest probe result while start-up probing awaited results, or -1. */
    private long startUpProbeBps = -1;
    private boolean startUpProbing;
    private boolean startUpChecked;
    private long unconfirmedStarts;
    /** The lowest an unconfirmed start falls to (libwebrtc's start rate). */
    public static final long UNCONFIRMED_START_BPS = 300_000;

    /** An estimator starting at {@code settings.startBps()}. */
    public GoogCcEstimator(GccSettings settings) {
        this.settings = settings;
        delayBased = new DelayBasedEstimator(settings.minBps(), settings.maxBps(), settings.startBps());
        lossBased = new LossBasedControl(settings.minBps(), settings.maxBps(), settings.startBps());
        alr = new AlrDetector(settings.startBps());
        probeController = new ProbeController(settings.maxBps(), settings.startBps());
        targetBps = settings.startBps();
    }

    /** An estimator with {@link GccSettings#DEFAULT}. */
    public GoogCcEstimator() {
        this(GccSettings.DEFAULT);
    }

    /**
     * Records a packet that carries transport-wide sequence number {@code transportSeq}.
     *
     * @param probeClusterId the {@link ProbeCluster#id()} it was sent for, or -1
     */
    public void onPacketSent(int transportSeq, int size, long nowNanos, int probeClusterId,
                             boolean retransmissionOrPadding) {
        if (size < 0) {
            return;
        }
        history.onSent(transportSeq, size, nowNanos, probeClusterId, retransmissionOrPadding);
        alr.onBytesSent(size, nowNanos);
    }

    /** Applies one parsed transport-cc feedback; an invalid view or one reporting nothing known is ignored. */
    public void onTransportFeedback(TransportFeedbackView view, long nowNanos) {
        if (view == null) {
            return;
        }
        int n = history.onFeedback(view, nowNanos, results);
        if (n == 0) {
            return;
        }
        feedbackSeen = true;
        feedbackCount++;
        lastFeedbackNanos = nowNanos;
        if (rembBps > 0) {
            rembBps = -1; // transport-cc supersedes a REMB that came first
            lossBased.clearReceiverLimit();
        }
        long alrEnded = alr.takeAlrEnded();
        if (alrEnded != Long.MIN_VALUE) {
            acked.setAlrEnded(alrEnded);
            lastAlrEndedNanos = alrEnded;
        }
        int received = sortReceivedByArrival(n);
        boolean inAlr = alr.inAlr();
        for (int k = 0; k < received; k++) {
            int i = order[k];
            long send = results.sendNanos(i);
            long arrival = results.arrivalNanos(i);
            int size = results.sizeBytes(i);
            acked.onPacket(send, arrival, size, inAlr);
            int cluster = results.probeClusterId(i);
            if (cluster >= 0) {
                probeEstimator.onPacket(cluster, send, arrival, size);
            }
            delayBased.onPacket(send, arrival, size, nowNanos);
        }
        double probe = probeEstimator.fetchAndResetLastEstimate();
        if (!Double.isNaN(probe)) {
            lastProbeResultBps = (long) probe;
            if (startUpProbing) {
                startUpProbeBps = Math.max(startUpProbeBps, (long) probe);
            }
        }
        double delay = delayBased.onFeedbackDone(acked.bitrateBps(), probe, nowNanos);
        lossBased.setDelayBasedLimit(delay, nowNanos);
        if (delayBased.updatedByProbe()) {
            lossBased.setSendBitrate(delay, nowNanos);
        } else if (!Double.isNaN(probe) && delayBased.usage() != BandwidthUsage.OVERUSING
                && Math.min(probe, delay) > lossBased.targetBps()) {
            // A probe result resets the loss-based rate, as in libwebrtc, also when it is below the delay-based one.
            lossBased.setSendBitrate(Math.min(probe, delay), nowNanos);
        }
        lossBased.onPacketsLost(results.lostCount(), n, nowNanos);
        updateTarget(nowNanos);
    }

    /** Indices of received results in {@link #order}, sorted by arrival time; returns their count. */
    private int sortReceivedByArrival(int n) {
        if (order.length < n) {
            order = new int[Math.max(n, order.length * 2)];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!results.isReceived(i)) {
                continue;
            }
            long t = results.arrivalNanos(i);
            int j = m++;
            while (j > 0 && results.arrivalNanos(order[j - 1]) > t) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return m;
    }

    /**
     * A receiver's REMB; non-positive values are ignored, and so is every REMB while the receiver's transport-cc
     * feedback flows (within {@link #REMB_SUPERSEDED_NANOS} of the last): then the send side estimates from the
     * feedback, and a REMB is the receiver's own guess from whatever streams lacked the transport-wide sequence
     * number. Firefox, for one, sends REMB computed from its audio alone (its audio carries no transport-cc), which
     * held a loopback receiver at 160 kbit/s.
     */
    public void onRemb(long bps, long nowNanos) {
        if (bps <= 0) {
            return;
        }
        if (feedbackSeen && nowNanos - lastFeedbackNanos < REMB_SUPERSEDED_NANOS) {
            rembsIgnored++;
            return;
        }
        rembBps = bps;
        lossBased.setReceiverLimit(bps, nowNanos);
        updateTarget(nowNanos);
    }

    /** REMBs ignored because transport-cc feedback was flowing. */
    public long rembsIgnored() {
        return rembsIgnored;
    }

    /** Round-trip time; values outside (0, 60 s] are ignored. */
    public void onRtt(long rttNanos) {
        if (rttNanos <= 0 || rttNanos > MAX_RTT_NANOS) {
            return;
        }
        this.rttNanos = rttNanos;
        delayBased.setRtt(rttNanos);
        lossBased.setRtt(rttNanos);
    }

    /** Fraction lost from a receiver report, in 1/256 (0..255; others ignored). */
    public void onLossReport(int fractionLost256, long nowNanos) {
        if (fractionLost256 < 0 || fractionLost256 > 255) {
            return;
        }
        lossBased.onFractionLost(fractionLost256, nowNanos);
        updateTarget(nowNanos);
    }

    private void updateTarget(long nowNanos) {
        long t = (long) lossBased.targetBps();
        targetBps = Math.max(settings.minBps(), Math.min(settings.maxBps(), t));
        alr.setTargetBitrate(targetBps);
        probeController.setEstimatedBitrate(targetBps, nowNanos);
    }

    /**
     * Asks for a probe at {@code targetBps} before an upgrade to it; true when a cluster was queued
     * (see {@link ProbeController#requestProbe}). Refused while the path is over-used or within
     * {@link #PROBE_HOLDOFF_AFTER_DECREASE_NANOS} of a delay-based decrease: a short probe into a
     * queue that is just draining measures the bottleneck's raw rate, not what is available.
     */
    public boolean requestProbe(long targetBps, long nowNanos) {
        if (delayBased.usage() == BandwidthUsage.OVERUSING) {
            return false;
        }
        long lastDecrease = delayBased.lastDecreaseNanos();
        if (lastDecrease != Long.MIN_VALUE && nowNanos - lastDecrease < PROBE_HOLDOFF_AFTER_DECREASE_NANOS) {
            return false;
        }
        return probeController.requestProbe(targetBps, nowNanos);
    }

    /**
     * The next probe cluster to send, or null; the first call starts the start-up probes. While the path looks clear
     * (no over-use, the last loss fraction at most {@link LossBasedControl#LOW_LOSS}) it also lets the probe
     * controller send its fast-recovery probe after a large drop ({@link ProbeController#requestRecoveryProbe}); its
     * result, like any probe result, lifts the loss-based rate up to the delay-based one.
     */
    public ProbeCluster nextProbe(long nowNanos) {
        probeController.process(nowNanos, alr.alrStartNanos());
        checkStart(nowNanos);
        if (feedbackSeen && delayBased.usage() == BandwidthUsage.NORMAL
                && lossBased.lastFractionLoss() <= LossBasedControl.LOW_LOSS * 256 && dropMayBeSpurious(nowNanos)) {
            probeController.requestRecoveryProbe(nowNanos);
        }
        ProbeCluster c = probeController.poll();
        if (c != null) {
            probeEstimator.register(c);
        }
        return c;
    }

    /**
     * Whether a large drop of the estimate may have been more than the path called for, so that a fast-recovery
     * probe is worth sending: while application limited or within {@link #ALR_ENDED_RECOVERY_NANOS} after (the
     * acknowledged rate an over-use backs off to is then the application's, not the path's, and the loss of a
     * burst is not the layer's), libwebrtc's rule. Not after a drop of a sender that used its estimate: that is
     * typically a competing flow, and probing back into it took 99% of a shared bottleneck from the other flow in
     * the simulator; nor merely because the loss-based rate holds the target below the delay-based one, nor after
     * the halvings of an over-use before any acknowledged rate: with either of those rules two flows sharing
     * 3 Mbit/s settled into a standing, overflowing queue and ended 51% apart (2011 and 989 kbit/s).
     */
    private boolean dropMayBeSpurious(long nowNanos) {
        return alr.inAlr() || (lastAlrEndedNanos != Long.MIN_VALUE
                && nowNanos - lastAlrEndedNanos < ALR_ENDED_RECOVERY_NANOS);
    }

    /**
     * Once start-up probing is over: a start rate no probe confirmed (no result at or above it) is not kept. The
     * delay-based rate takes a probe result only above it (libwebrtc's rule), and a receiver's traffic is mostly
     * application limited, so nothing else would bring an optimistic start down before it overran the link: a
     * viewer behind 700 kbit/s was given the 2.5 Mbit/s start, a 720p layer, and lost a quarter of its packets until
     * loss brought the estimate down 3 s later (start-up clusters at 7.5 and 15 Mbit/s lost too many packets there
     * to give a result). It falls to
     * the highest start-up probe result, or 85% of the acknowledged rate as after an over-use, whichever is higher,
     * but not below {@link #UNCONFIRMED_START_BPS} (what was acknowledged so soon may be only the little that was
     * sent: a conference participant alone in its room until others joined fell to 89 kbit/s); probes and the
     * increase take it up from there, over-use and loss down.
     */
    private void checkStart(long nowNanos) {
        if (startUpChecked) {
            return;
        }
        if (probeController.waitingForResult()) {
            startUpProbing = true;
            return;
        }
        if (!startUpProbing) {
            return;
        }
        startUpChecked = true;
        if (startUpProbeBps >= settings.startBps()) {
            return;
        }
        double ackedBps = acked.bitrateBps();
        double fallback = Double.isNaN(ackedBps) ? 0 : AimdRateControl.BETA * ackedBps;
        fallback = Math.max(Math.max(settings.minBps(), UNCONFIRMED_START_BPS), Math.max(fallback, startUpProbeBps));
        if (fallback < targetBps) {
            unconfirmedStarts++;
            delayBased.resetEstimate(fallback, nowNanos);
            lossBased.setSendBitrate(fallback, nowNanos);
            updateTarget(nowNanos);
        }
    }

    /** Times the start rate was brought down because start-up probing did not confirm it (0 or 1). */
    public long unconfirmedStarts() {
        return unconfirmedStarts;
    }

    /** Target bitrate for the allocator. */
    public long targetBitrateBps() {
        return targetBps;
    }

    /** Pacing rate, {@link #PACING_FACTOR} × target. */
    public long pacingRateBps() {
        return (long) (targetBps * PACING_FACTOR);
    }

    /** Whether the sender is application limited. */
    public boolean inAlr() {
        return alr.inAlr();
    }

    /** Bytes sent and not yet reported by feedback. */
    public long inFlightBytes() {
        return history.inFlightBytes();
    }

    /** Fills {@code out} with the current internals and returns it. */
    public GccSnapshot snapshot(GccSnapshot out) {
        out.targetBps = targetBps;
        out.pacingBps = pacingRateBps();
        out.delayBasedBps = feedbackSeen ? (long) delayBased.estimateBps() : -1;
        out.lossBasedBps = (long) lossBased.targetBps();
        double a = acked.bitrateBps();
        out.acknowledgedBps = Double.isNaN(a) ? -1 : (long) a;
        out.rembBps = rembBps;
        double cap = delayBased.linkCapacityBps();
        out.linkCapacityBps = Double.isNaN(cap) ? -1 : (long) cap;
        out.usage = delayBased.usage();
        out.rateControlState = delayBased.rateControlState();
        out.modifiedTrendMs = delayBased.modifiedTrend();
        out.thresholdMs = delayBased.thresholdMs();
        out.fractionLost256 = lossBased.lastFractionLoss();
        out.inAlr = alr.inAlr();
        out.inFlightBytes = history.inFlightBytes();
        out.rttNanos = rttNanos;
        return out;
    }

    /** One line of diagnostics (allocates; not for the hot path). */
    public String state() {
        GccSnapshot s = snapshot(new GccSnapshot());
        return "target=" + s.targetBps + " delay=" + s.delayBasedBps + " loss=" + s.lossBasedBps
                + " acked=" + s.acknowledgedBps + " remb=" + s.rembBps + " capacity=" + s.linkCapacityBps
                + " usage=" + s.usage + " aimd=" + s.rateControlState
                + String.format(" trend=%.2f threshold=%.2f", s.modifiedTrendMs, s.thresholdMs)
                + " lost256=" + s.fractionLost256 + " alr=" + s.inAlr + " inflight=" + s.inFlightBytes
                + " rttMs=" + (s.rttNanos < 0 ? -1 : s.rttNanos / 1_000_000) + " probe=" + lastProbeResultBps
                + " feedbacks=" + feedbackCount;
    }
}
