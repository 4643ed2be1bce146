package org.sluice.core.broadcast;

import org.sluice.core.transport.MediaTransport;

/** A WHIP or WHEP session: one transport in one room. */
public sealed interface BroadcastSession permits PublisherSession, ViewerSession {

    String id();

    BroadcastRoom room();

    MediaTransport transport();

    boolean isClosed();

    /** Ends the session and its transport (idempotent, any thread). */
    void close(String reason);
}
