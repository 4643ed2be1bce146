package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.bandwidth.pacer.PacingClass;
import org.sluice.rtp.srtp.SrtpSession;

/**
 * Where a receiver's packets leave: its outbound SRTP context and its socket path, with the receiver's
 * congestion control (transport-wide sequence numbers, the pacer) where it negotiated transport-cc. A
 * transport is one; benchmarks use one without sockets. Used only on the receiver's loop.
 */
public interface EgressLeg {

    /** The outbound SRTP session, or {@code null} while DTLS has not finished. */
    SrtpSession outboundSrtp();

    ByteBufAllocator alloc();

    /**
     * Our stream {@code ssrc} toward the receiver ended for good: its outbound SRTP state may be retired so it
     * stops counting against the session's stream limit. Any thread.
     */
    void streamEnded(long ssrc);

    /** Sends a protected packet; takes ownership. */
    void sendProtected(ByteBuf packet);

    /**
     * The transport-wide sequence number for the media packet about to be protected, or -1 when the receiver
     * gets no transport-cc (then nothing is stamped).
     */
    default int nextTransportSequence() {
        return -1;
    }

    /**
     * Sends a protected media packet stamped with {@code transportSequence} (-1: none) through the receiver's
     * pacer where there is one; takes ownership.
     */
    default void sendMedia(ByteBuf packet, int transportSequence, PacingClass cls) {
        sendProtected(packet);
    }
}
