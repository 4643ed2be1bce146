package org.sluice.bandwidth.gcc;

import java.util.Arrays;

/**
 * Estimates capacity from probe clusters (libwebrtc's ProbeBitrateEstimator). For each cluster it
 * tracks the first and last send and arrival times of its received packets; once at least 80% of
 * the cluster's packets and bytes arrived it compares the send rate (bytes but the last sent over
 * the send span) with the receive rate (bytes but the first received over the arrival span). The
 * estimate is the smaller of the two, or 95% of the receive rate when that is below 90% of the
 * send rate (the link saturated). Spans beyond one second and receive rates above twice the send
 * rate are rejected.
 *
 * <p>Only clusters announced with {@link #register} are measured, in {@link #SLOTS} fixed slots
 * (the oldest is reused); packets of unknown clusters are ignored.
 */
public final class ProbeBitrateEstimator {
    /** Clusters tracked at once. */
    public static final int SLOTS = 8;
    private static final double MIN_RECEIVED_RATIO = 0.8;
    private static final long MAX_INTERVAL_NANOS = 1_000_000_000L;
    private static final double MAX_VALID_RATIO = 2.0;
    private static final double MIN_RATIO_UNSATURATED = 0.9;
    private static final double TARGET_UTILIZATION = 0.95;

    private final int[] ids = new int[SLOTS];
    private final int[] minPackets = new int[SLOTS];
    private final long[] minBytes = new long[SLOTS];
    private final long[] firstSend = new long[SLOTS];
    private final long[] lastSend = new long[SLOTS];
    private final long[] firstRecv = new long[SLOTS];
    private final long[] lastRecv = new long[SLOTS];
    private final long[] sizeLastSend = new long[SLOTS];
    private final long[] sizeFirstRecv = new long[SLOTS];
    private final long[] sizeTotal = new long[SLOTS];
    private final int[] numProbes = new int[SLOTS];
    private int nextSlot;
    private double lastEstimateBps = Double.NaN;

    public ProbeBitrateEstimator() {
        Arrays.fill(ids, -1);
    }

    /** Starts measuring a cluster that is about to be sent. */
    public void register(ProbeCluster cluster) {
        int s = nextSlot;
        nextSlot = (nextSlot + 1) % SLOTS;
        ids[s] = cluster.id();
        minPackets[s] = cluster.minPackets();
        minBytes[s] = cluster.minBytes();
        firstSend[s] = Long.MAX_VALUE;
        lastSend[s] = Long.MIN_VALUE;
        firstRecv[s] = Long.MAX_VALUE;
        lastRecv[s] = Long.MIN_VALUE;
        sizeTotal[s] = 0;
        numProbes[s] = 0;
    }

    /**
     * One received packet of a probe cluster; returns the cluster's estimate in bps when it has
     * one, else NaN.
     */
    public double onPacket(int clusterId, long sendNanos, long arrivalNanos, int sizeBytes) {
        if (clusterId < 0 || sizeBytes <= 0) {
            return Double.NaN;
        }
        int s = slotOf(clusterId);
        if (s < 0) {
            return Double.NaN;
        }
        if (sendNanos < firstSend[s]) {
            firstSend[s] = sendNanos;
        }
        if (sendNanos > lastSend[s]) {
            lastSend[s] = sendNanos;
            sizeLastSend[s] = sizeBytes;
        }
        if (arrivalNanos < firstRecv[s]) {
            firstRecv[s] = arrivalNanos;
            sizeFirstRecv[s] = sizeBytes;
        }
        if (arrivalNanos > lastRecv[s]) {
            lastRecv[s] = arrivalNanos;
        }
        sizeTotal[s] += sizeBytes;
        numProbes[s]++;
        if (numProbes[s] < minPackets[s] * MIN_RECEIVED_RATIO || sizeTotal[s] < minBytes[s] * MIN_RECEIVED_RATIO) {
            return Double.NaN;
        }
        long sendInterval = lastSend[s] - firstSend[s];
        long recvInterval = lastRecv[s] - firstRecv[s];
        if (sendInterval <= 0 || sendInterval > MAX_INTERVAL_NANOS
                || recvInterval <= 0 || recvInterval > MAX_INTERVAL_NANOS) {
            return Double.NaN;
        }
        double sendRate = (sizeTotal[s] - sizeLastSend[s]) * 8e9 / sendInterval;
        double recvRate = (sizeTotal[s] - sizeFirstRecv[s]) * 8e9 / recvInterval;
        if (recvRate / sendRate > MAX_VALID_RATIO) {
            return Double.NaN;
        }
        double result = Math.min(sendRate, recvRate);
        if (recvRate < MIN_RATIO_UNSATURATED * sendRate) {
            result = TARGET_UTILIZATION * recvRate;
        }
        lastEstimateBps = result;
        return result;
    }

    private int slotOf(int id) {
        for (int i = 0; i < SLOTS; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** The latest estimate since the last call, or NaN; clears it. */
    public double fetchAndResetLastEstimate() {
        double v = lastEstimateBps;
        lastEstimateBps = Double.NaN;
        return v;
    }
}
