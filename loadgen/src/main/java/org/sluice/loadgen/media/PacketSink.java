package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/** Takes one plain RTP packet (the readable bytes of {@code packet}); must not keep or release it. */
@FunctionalInterface
public interface PacketSink {
    void send(ByteBuf packet);
}
