package org.sluice.bandwidth.pacer;

/**
 * Tuning of a {@link Pacer}. {@link #defaults()} follows libwebrtc's pacing controller where it has
 * an equivalent.
 *
 * @param processIntervalNanos   the shortest wait {@link Pacer#nextSendNanos} asks for while the
 *                               budget is in debt, so sends come in batches (libwebrtc: 5 ms)
 * @param burstNanos             how much unused budget may build up, as time at the current rate: a
 *                               quiet pacer may then send this much at once (libwebrtc's burst
 *                               interval, 40 ms)
 * @param maxQueueTimeNanos      an item that waited longer is dropped and counted (2 s)
 * @param queueTimeTargetNanos   the pacing rate is raised so that the queued media is expected to
 *                               leave before its oldest item waited this long; 0 turns the raise off
 *                               (libwebrtc's queue time limit; here 1 s, below the drop limit)
 * @param maxRateBoost           the raised rate is at most this multiple of the pacing rate, so a
 *                               flood of queued media cannot push the link far above the estimate
 * @param maxItems               the most items queued over all classes
 * @param initialCapacity        the initial slots per class; a class grows by doubling up to
 *                               {@code maxItems}, so steady state never grows
 * @param initialPacingBps       the pacing rate until {@link Pacer#setRates} is called
 */
public record PacerConfig(long processIntervalNanos, long burstNanos, long maxQueueTimeNanos,
                          long queueTimeTargetNanos, int maxRateBoost, int maxItems, int initialCapacity,
                          long initialPacingBps) {

    private static final long MS = 1_000_000L;

    public PacerConfig {
        if (processIntervalNanos <= 0 || burstNanos < 0 || maxQueueTimeNanos <= 0 || queueTimeTargetNanos < 0
                || maxRateBoost < 1 || maxItems < 1 || initialCapacity < 1 || initialPacingBps < 0) {
            throw new IllegalArgumentException("invalid pacer configuration");
        }
    }

    /** 5 ms interval, 40 ms burst, drop after 2 s, raise the rate to empty the queue within 1 s (at most 2×). */
    public static PacerConfig defaults() {
        return new PacerConfig(5 * MS, 40 * MS, 2_000 * MS, 1_000 * MS, 2, 8192, 64, 750_000);
    }

    public PacerConfig withMaxQueueTimeNanos(long nanos) {
        return new PacerConfig(processIntervalNanos, burstNanos, nanos, queueTimeTargetNanos, maxRateBoost,
                maxItems, initialCapacity, initialPacingBps);
    }

    public PacerConfig withQueueTimeTargetNanos(long nanos) {
        return new PacerConfig(processIntervalNanos, burstNanos, maxQueueTimeNanos, nanos, maxRateBoost,
                maxItems, initialCapacity, initialPacingBps);
    }

    public PacerConfig withMaxRateBoost(int boost) {
        return new PacerConfig(processIntervalNanos, burstNanos, maxQueueTimeNanos, queueTimeTargetNanos, boost,
                maxItems, initialCapacity, initialPacingBps);
    }

    public PacerConfig withMaxItems(int items) {
        return new PacerConfig(processIntervalNanos, burstNanos, maxQueueTimeNanos, queueTimeTargetNanos,
                maxRateBoost, items, Math.min(initialCapacity, items), initialPacingBps);
    }

    public PacerConfig withBurstNanos(long nanos) {
        return new PacerConfig(processIntervalNanos, nanos, maxQueueTimeNanos, queueTimeTargetNanos, maxRateBoost,
                maxItems, initialCapacity, initialPacingBps);
    }
}
