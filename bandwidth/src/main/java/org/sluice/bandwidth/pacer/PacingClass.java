package org.sluice.bandwidth.pacer;

/**
 * What a paced item is, which decides its place in the {@link Pacer}'s queue: classes are sent in
 * declaration order (all queued audio before any retransmission, all retransmissions before any
 * video, padding only when nothing else waits), first in first out within a class.
 *
 * <p>Not to be confused with {@code org.sluice.core.net.PacketClass}, the RFC 7983 demultiplexing
 * class of a datagram.
 */
public enum PacingClass {
    /** Audio: small, latency critical, always first. */
    AUDIO,
    /** A retransmission answering a NACK: late already, so ahead of new video. */
    RETRANSMISSION,
    /** Video media. */
    VIDEO,
    /** Padding or probe packets: sent only when no media waits, within the padding rate as well. */
    PADDING;

    private static final PacingClass[] VALUES = values();

    /** The class with this ordinal; no array copy. */
    static PacingClass of(int ordinal) {
        return VALUES[ordinal];
    }

    /** How many classes there are. */
    static int count() {
        return VALUES.length;
    }
}
