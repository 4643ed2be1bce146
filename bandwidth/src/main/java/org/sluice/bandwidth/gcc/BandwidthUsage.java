package org.sluice.bandwidth.gcc;

/** Verdict of the delay-based overuse detector. */
public enum BandwidthUsage {
    /** Delay is not trending. */
    NORMAL,
    /** Delay is growing: the path is over-used. */
    OVERUSING,
    /** Delay is shrinking: queues are draining. */
    UNDERUSING
}
