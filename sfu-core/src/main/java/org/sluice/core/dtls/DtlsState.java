package org.sluice.core.dtls;

/** Life cycle of a {@link DtlsEndpoint}. Moves only forward: NEW → HANDSHAKING → CONNECTED → CLOSED/FAILED. */
public enum DtlsState {
    /** Constructed; datagrams that arrive are queued for the handshake. */
    NEW,
    /** {@link DtlsEndpoint#start()} was called; a handshake task runs or waits on the executor. */
    HANDSHAKING,
    /** Handshake done, SRTP keys delivered; late records (retransmissions, alerts) are still handled. */
    CONNECTED,
    /** The handshake or the connection failed; terminal. */
    FAILED,
    /** Closed locally or by the peer's close_notify; terminal. */
    CLOSED;

    /** True for FAILED and CLOSED. */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
