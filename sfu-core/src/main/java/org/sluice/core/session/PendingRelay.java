package org.sluice.core.session;

/**
 * A relay offer the origin made and has not connected yet ({@link RelayService#offerRelay}): what goes to the edge is
 * its {@link #sdp()}; the engine keeps the rest (credentials, SSRCs) for {@link RelayService#startRelay}.
 */
public interface PendingRelay {

    /** The relay session's id on the origin. */
    String id();

    /** The room relayed. */
    String room();

    /** The WHIP offer for the edge. */
    String sdp();
}
