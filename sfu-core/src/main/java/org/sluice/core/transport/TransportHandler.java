package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;

/**
 * What a transport delivers upward, always on the transport's own media loop. The handler does not
 * own the buffers: they are released by the transport after the call returns, so a handler that
 * keeps one (e.g. to hand it to another loop) retains it.
 */
public interface TransportHandler {

    /** DTLS finished and SRTP keys are installed: media may flow. */
    void onConnected(MediaTransport transport);

    /** A decrypted RTP packet ([readerIndex, writerIndex) is the plain packet). */
    void onRtp(MediaTransport transport, ByteBuf packet);

    /** A decrypted RTCP compound packet. */
    void onRtcp(MediaTransport transport, ByteBuf packet);

    /** The transport ended (consent lost, DTLS failure or close_notify, or closed by us). Called once. */
    void onClosed(MediaTransport transport, String reason);
}
