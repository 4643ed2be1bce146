package org.sluice.core.net;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * Where the sockets deliver what they read. Called on the event loop that owns the socket; the
 * receiver takes ownership of {@code packet} (must release it or pass it on).
 */
public interface PacketReceiver {

    void onPacket(ByteBuf packet, InetSocketAddress sender, PacketPath path);

    /** The socket finished a read batch: a good moment to flush what the batch produced. */
    void onReadBatchComplete(MediaLoop loop);
}
