package org.sluice.bandwidth.allocation;

/**
 * The room's importance of a video subscription, strongest first. Audio needs none: it is always
 * allocated before any video.
 */
public enum VideoPriority {
    /** A screen share: text must stay legible. */
    SCREEN,
    /** The active speaker's camera. */
    SPEAKER,
    /** Everyone else. */
    OTHER
}
