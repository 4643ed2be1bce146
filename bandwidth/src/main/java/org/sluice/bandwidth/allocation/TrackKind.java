package org.sluice.bandwidth.allocation;

/** Whether a subscription carries audio or video. */
public enum TrackKind {
    AUDIO,
    VIDEO
}
