package org.sluice.bandwidth.pacer;

/** Why the {@link Pacer} gave up an item instead of sending it. */
public enum DropReason {
    /** The item waited longer than {@link PacerConfig#maxQueueTimeNanos()}. */
    QUEUE_TIME,
    /**
     * The queue held {@link PacerConfig#maxItems()} items: the oldest item of the lowest class not
     * above the new one's was evicted, or the new one refused when there was none.
     */
    QUEUE_FULL,
    /** A padding item offered while the padding rate is zero. */
    NO_PADDING_RATE,
    /** {@link Pacer#clear} emptied the queue (the transport is closing). */
    CLEARED
}
