package org.sluice.core.sctp;

/** What an association reports to its owner; called on the thread that drives the association. */
public interface SctpListener {

    /** The handshake completed; messages may be sent. */
    void onEstablished();

    /** A whole message arrived on {@code streamId}. {@code data} belongs to the listener. */
    void onMessage(int streamId, int ppid, byte[] data, boolean unordered);

    /** The peer reset its outgoing side of these streams (RFC 6525): for data channels, they are closing. */
    void onIncomingStreamsReset(int[] streamIds);

    /** The association ended (once, terminal): shutdown, abort from either side, or failure. */
    void onClosed(String reason);
}
