package org.sluice.bandwidth.gcc;

/**
 * Decides when to probe for capacity and at what rate (libwebrtc's ProbeController):
 *
 * <ul>
 *   <li>at start, two clusters at {@link #FIRST_PROBE_SCALE} and {@link #SECOND_PROBE_SCALE} times
 *       the start rate; while results keep coming above 70% of the last probe rate within
 *       {@link #PROBE_RESULT_TIMEOUT_NANOS}, probing continues at twice the estimate
 *       (exponential start-up);
 *   <li>on request ({@link #requestProbe}), typically before the allocator upgrades a layer: one
 *       cluster at the requested rate, when it is above the estimate;
 *   <li>while application limited, one cluster at twice the estimate every {@link
 *       #ALR_PROBE_INTERVAL_NANOS};
 *   <li>fast recovery ({@link #requestRecoveryProbe}): after the estimate fell below {@link
 *       #LARGE_DROP_FRACTION} of where it stood when it began to fall, and once the caller sees the path clear
 *       again (no over-use, no loss) within {@link #LARGE_DROP_TIMEOUT_NANOS}, one cluster at {@link
 *       #RECOVERY_PROBE_FRACTION} of that rate, at most every {@link #MIN_RECOVERY_INTERVAL_NANOS}. A burst of
 *       random loss, a delay spike read as over-use or a probe's own queue pull the estimate down further than the
 *       path justifies, and the increase (8% a second) would take many seconds to undo it; if the drop was real
 *       the probe measures the lower rate and changes nothing.
 * </ul>
 *
 * Probe rates are capped at the maximum bitrate. Clusters wait in a small queue for {@link
 * #poll}; at most {@link #MAX_PENDING} are pending, further ones are dropped.
 */
public final class ProbeController {
    /** First start-up probe, times the start rate. */
    public static final double FIRST_PROBE_SCALE = 3.0;
    /** Second start-up probe, times the start rate. */
    public static final double SECOND_PROBE_SCALE = 6.0;
    /** Further exponential probes, times the estimate. */
    public static final double FURTHER_PROBE_SCALE = 2.0;
    /** A result above this fraction of the last probe rate continues exponential probing. */
    public static final double FURTHER_PROBE_THRESHOLD = 0.7;
    /** How long to wait for a probe result. */
    public static final long PROBE_RESULT_TIMEOUT_NANOS = 1_000_000_000L;
    /** Interval of probes while application limited. */
    public static final long ALR_PROBE_INTERVAL_NANOS = 5_000_000_000L;
    /**
     * Shortest interval between requested probes: a cluster carries at least {@link ProbeCluster#MIN_BYTES}, so
     * this bounds the padding an allocator asking every round can cost: 80 kbit/s for probes up to about 5 Mbit/s,
     * less the media that goes out during the clusters.
     */
    public static final long MIN_REQUEST_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * After a requested probe that the estimate did not follow, how long requests at that rate or
     * above are refused; doubled after each further miss up to {@link #MAX_FAILED_BACKOFF_NANOS}. A
     * probe beyond what the link carries overshoots the bottleneck's queue, and repeating it every
     * allocation round turns that into over-use and a decrease each time.
     */
    public static final long FAILED_BACKOFF_NANOS = 5_000_000_000L;
    /** Longest refusal after repeated misses. */
    public static final long MAX_FAILED_BACKOFF_NANOS = 60_000_000_000L;
    /** The estimate at this fraction of a requested probe's rate counts as having reached it. */
    public static final double REQUEST_REACHED_FRACTION = 0.95;
    /**
     * A requested probe counts as not followed when the estimate, a result timeout later, has covered less than this
     * share of the way from where it was to the probe's rate (a probe that measured most of its rate, but not all, on
     * a busy sender is not a link that cannot carry it).
     */
    public static final double REQUEST_FOLLOWED_SHARE = 0.5;
    /**
     * An estimate below this fraction of the one before it began to fall is a large drop (libwebrtc's
     * kBitrateDropThreshold).
     */
    public static final double LARGE_DROP_FRACTION = 0.66;
    /** How long after a large drop began a recovery probe may still be sent (kBitrateDropTimeout). */
    public static final long LARGE_DROP_TIMEOUT_NANOS = 5_000_000_000L;
    /** Rate of a recovery probe, times the estimate before the drop (kProbeFractionAfterDrop). */
    public static final double RECOVERY_PROBE_FRACTION = 0.85;
    /**
     * A recovery probe is sent only when 95% of its rate (the result it may be expected to give, kProbeUncertainty)
     * is above the estimate.
     */
    public static final double PROBE_UNCERTAINTY = 0.05;
    /** Shortest interval between recovery probes (kMinTimeBetweenAlrProbes). */
    public static final long MIN_RECOVERY_INTERVAL_NANOS = 5_000_000_000L;
    /** Largest number of clusters waiting to be sent. */
    public static final int MAX_PENDING = 4;
    private static final long NONE = Long.MIN_VALUE;

    private enum State { INIT, WAITING_FOR_RESULT, COMPLETE }

    private final long maxBps;
    private final long startBps;
    private final ProbeCluster[] pending = new ProbeCluster[MAX_PENDING];
    private int pendingHead;
    private int pendingSize;
    private int nextId;

    private State state = State.INIT;
    private double estimateBps;
    private double minBitrateToProbeFurther = Double.POSITIVE_INFINITY;
    private long lastProbeNanos = NONE;
    private long lastRequestNanos = NONE;
    /** Rate of the last requested probe the estimate has not reached yet, or 0. */
    private double requestedBps;
    /** The estimate when that probe was requested. */
    private double estimateAtRequestBps;
    /** Rate at or above which requests are refused until {@link #refuseUntilNanos}, or 0. */
    private double failedBps;
    private long refuseUntilNanos = NONE;
    private long failedBackoffNanos = FAILED_BACKOFF_NANOS;
    /** The estimate before the current fall began, or 0 while not falling. */
    private double beforeDropBps;
    private long dropStartNanos = NONE;
    private long lastRecoveryProbeNanos = NONE;
    private long recoveryProbes;

    public ProbeController(long maxBps, long startBps) {
        this.maxBps = maxBps;
        this.startBps = startBps;
        this.estimateBps = startBps;
    }

    /**
     * Advances time: starts the initial probes on the first call, ends the wait for results, and
     * probes periodically while application limited.
     *
     * @param alrStartNanos when the current ALR began, or {@link Long#MIN_VALUE} when not in ALR
     */
    public void process(long nowNanos, long alrStartNanos) {
        if (state == State.INIT) {
            initiate(nowNanos, startBps * FIRST_PROBE_SCALE, startBps * SECOND_PROBE_SCALE, true);
            return;
        }
        if (state == State.WAITING_FOR_RESULT && nowNanos - lastProbeNanos > PROBE_RESULT_TIMEOUT_NANOS) {
            state = State.COMPLETE;
            minBitrateToProbeFurther = Double.POSITIVE_INFINITY;
        }
        if (state == State.COMPLETE && alrStartNanos != NONE && estimateBps < maxBps) {
            long next = Math.max(alrStartNanos, lastProbeNanos) + ALR_PROBE_INTERVAL_NANOS;
            if (nowNanos >= next) {
                initiate(nowNanos, estimateBps * FURTHER_PROBE_SCALE, Double.NaN, true);
            }
        }
    }

    /** Tells the controller the current estimate; may continue exponential probing. */
    public void setEstimatedBitrate(double bps, long nowNanos) {
        if (state == State.WAITING_FOR_RESULT) {
            if (nowNanos - lastProbeNanos > PROBE_RESULT_TIMEOUT_NANOS) {
                state = State.COMPLETE;
                minBitrateToProbeFurther = Double.POSITIVE_INFINITY;
            } else if (bps > minBitrateToProbeFurther) {
                initiate(nowNanos, bps * FURTHER_PROBE_SCALE, Double.NaN, true);
            }
        }
        trackDrop(bps, nowNanos);
        estimateBps = bps;
        if (requestedBps > 0 && bps >= requestedBps * REQUEST_REACHED_FRACTION) {
            requestedBps = 0;
        }
        if (failedBps > 0 && bps >= failedBps * REQUEST_REACHED_FRACTION) {
            failedBps = 0;
            failedBackoffNanos = FAILED_BACKOFF_NANOS;
        }
    }

    /**
     * Remembers where the estimate stood when it began to fall, for {@link #requestRecoveryProbe}: a fall is the
     * run of updates below that rate; it ends when the estimate is back at it or {@link #LARGE_DROP_TIMEOUT_NANOS}
     * after it began (a new fall may then begin from the current estimate).
     */
    private void trackDrop(double bps, long nowNanos) {
        if (beforeDropBps > 0 && (bps >= beforeDropBps || nowNanos - dropStartNanos > LARGE_DROP_TIMEOUT_NANOS)) {
            beforeDropBps = 0;
        }
        if (beforeDropBps == 0 && bps < estimateBps) {
            beforeDropBps = estimateBps;
            dropStartNanos = nowNanos;
        }
    }

    /**
     * Fast recovery: call when the path looks clear again (no over-use, no loss). Queues one cluster at {@link
     * #RECOVERY_PROBE_FRACTION} of the estimate before a large drop (below {@link #LARGE_DROP_FRACTION} of it) that
     * began less than {@link #LARGE_DROP_TIMEOUT_NANOS} ago, when no probing is under way, the expected result is
     * above the estimate and the last recovery probe is {@link #MIN_RECOVERY_INTERVAL_NANOS} old. Returns whether it
     * did.
     */
    public boolean requestRecoveryProbe(long nowNanos) {
        if (state != State.COMPLETE || pendingSize > 0 || beforeDropBps <= 0
                || estimateBps >= LARGE_DROP_FRACTION * beforeDropBps
                || nowNanos - dropStartNanos > LARGE_DROP_TIMEOUT_NANOS) {
            return false;
        }
        if (lastRecoveryProbeNanos != NONE && nowNanos - lastRecoveryProbeNanos < MIN_RECOVERY_INTERVAL_NANOS) {
            return false;
        }
        double rate = Math.min(maxBps, RECOVERY_PROBE_FRACTION * beforeDropBps);
        if ((1 - PROBE_UNCERTAINTY) * rate <= estimateBps) {
            return false;
        }
        lastRecoveryProbeNanos = nowNanos;
        recoveryProbes++;
        initiate(nowNanos, rate, Double.NaN, false);
        return true;
    }

    /** Recovery probes queued so far. */
    public long recoveryProbes() {
        return recoveryProbes;
    }

    /**
     * Asks for a probe at {@code targetBps} (capped at the maximum) before moving to a higher rate.
     * Returns false, doing nothing, when the target is not above the estimate, a probe is already
     * pending, start-up probing still awaits results, the last request was less than {@link
     * #MIN_REQUEST_INTERVAL_NANOS} ago, or a probe at this rate or below recently failed to lift the
     * estimate (see {@link #FAILED_BACKOFF_NANOS}).
     */
    public boolean requestProbe(long targetBps, long nowNanos) {
        if (targetBps <= estimateBps || estimateBps >= maxBps || pendingSize > 0
                || state != State.COMPLETE) {
            return false;
        }
        if (lastRequestNanos != NONE && nowNanos - lastRequestNanos < MIN_REQUEST_INTERVAL_NANOS) {
            return false;
        }
        if (requestedBps > 0 && nowNanos - lastRequestNanos >= PROBE_RESULT_TIMEOUT_NANOS) {
            // The last requested probe had its time: did the estimate follow it?
            if (estimateBps < estimateAtRequestBps + REQUEST_FOLLOWED_SHARE * (requestedBps - estimateAtRequestBps)) {
                if (failedBps > 0 && requestedBps >= failedBps) {
                    failedBackoffNanos = Math.min(MAX_FAILED_BACKOFF_NANOS, failedBackoffNanos * 2);
                }
                failedBps = failedBps > 0 ? Math.min(failedBps, requestedBps) : requestedBps;
                refuseUntilNanos = lastRequestNanos + failedBackoffNanos;
            }
            requestedBps = 0;
        }
        if (failedBps > 0 && targetBps >= failedBps * REQUEST_REACHED_FRACTION && nowNanos < refuseUntilNanos) {
            return false;
        }
        lastRequestNanos = nowNanos;
        requestedBps = Math.min(targetBps, maxBps);
        estimateAtRequestBps = estimateBps;
        initiate(nowNanos, targetBps, Double.NaN, false);
        return true;
    }

    private void initiate(long nowNanos, double first, double second, boolean probeFurther) {
        boolean further = probeFurther;
        double last = Math.min(first, maxBps);
        if (first >= maxBps) {
            further = false;
        }
        enqueue(last);
        if (!Double.isNaN(second) && first < maxBps) {
            last = Math.min(second, maxBps);
            if (second >= maxBps) {
                further = false;
            }
            enqueue(last);
        }
        lastProbeNanos = nowNanos;
        if (further) {
            state = State.WAITING_FOR_RESULT;
            minBitrateToProbeFurther = last * FURTHER_PROBE_THRESHOLD;
        } else {
            state = State.COMPLETE;
            minBitrateToProbeFurther = Double.POSITIVE_INFINITY;
        }
    }

    private void enqueue(double bps) {
        if (pendingSize == MAX_PENDING) {
            return;
        }
        ProbeCluster c = new ProbeCluster(nextId, (long) bps, ProbeCluster.MIN_PACKETS,
                ProbeCluster.MIN_DURATION_NANOS);
        nextId = (nextId + 1) & Integer.MAX_VALUE;
        pending[(pendingHead + pendingSize) % MAX_PENDING] = c;
        pendingSize++;
    }

    /** The next cluster to send, removed from the queue, or null. */
    public ProbeCluster poll() {
        if (pendingSize == 0) {
            return null;
        }
        ProbeCluster c = pending[pendingHead];
        pending[pendingHead] = null;
        pendingHead = (pendingHead + 1) % MAX_PENDING;
        pendingSize--;
        return c;
    }

    /** Clusters waiting to be sent. */
    public int pendingCount() {
        return pendingSize;
    }

    /** Whether start-up or requested probing awaits results. */
    public boolean waitingForResult() {
        return state == State.WAITING_FOR_RESULT;
    }
}
