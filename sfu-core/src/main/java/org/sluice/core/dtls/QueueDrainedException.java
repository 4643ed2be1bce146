package org.sluice.core.dtls;

import java.io.InterruptedIOException;

/**
 * Thrown by {@link QueueDatagramTransport} after the handshake when no datagram is queued. Bouncy
 * Castle passes {@link InterruptedIOException}s through its record layer without failing the
 * connection, so this ends a non-blocking drain of the inbound queue cleanly. Preallocated per
 * transport, without a stack trace.
 */
final class QueueDrainedException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    QueueDrainedException() {
        super("no queued DTLS datagram");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
