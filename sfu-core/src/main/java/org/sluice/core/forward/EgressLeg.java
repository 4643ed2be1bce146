package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.rtp.srtp.SrtpSession;

/**
 * Where a receiver's packets leave: its outbound SRTP context and its socket path. A transport is
 * one; benchmarks use one without sockets. Used only on the receiver's loop.
 */
public interface EgressLeg {

    /** The outbound SRTP session, or {@code null} while DTLS has not finished. */
    SrtpSession outboundSrtp();

    ByteBufAllocator alloc();

    /** Sends a protected packet; takes ownership. */
    void sendProtected(ByteBuf packet);
}
