package org.sluice.core.net;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * A way back to a remote peer: the UDP socket of one media loop, or one ICE-TCP connection.
 * {@link #send} takes ownership of the buffer; sends are batched until {@link MediaLoop#flush()}.
 */
public interface PacketPath {

    /** The loop this path's socket belongs to; sends must happen on it. */
    MediaLoop loop();

    boolean isTcp();

    /** Queues a packet to {@code recipient} (ignored for TCP, which is connected). */
    void send(ByteBuf packet, InetSocketAddress recipient);

    /** Whether the path can still carry packets (a TCP connection may have closed). */
    boolean isOpen();
}
