package org.sluice.bandwidth.allocation;

/** Why a subscription gets no layer, or {@link #NONE} when it gets one. */
public enum PauseReason {
    /** Not paused: a layer is allocated. */
    NONE,
    /** The subscriber paused it. */
    PREFERENCE_PAUSED,
    /** Not even its lowest layer fit in what was left after the more important subscriptions. */
    BANDWIDTH_LIMITED,
    /** No layer of the track is arriving. */
    NO_LAYERS
}
