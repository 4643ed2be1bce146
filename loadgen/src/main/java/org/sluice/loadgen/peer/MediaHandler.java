package org.sluice.loadgen.peer;

import io.netty.buffer.ByteBuf;

/** What a {@link ClientPeer} does with decrypted media; called on the peer's event loop. */
public interface MediaHandler {

    /** One decrypted RTP packet (readable bytes), received at {@code nowNanos}; do not keep or release it. */
    void onRtp(ByteBuf packet, long nowNanos);

    /** One decrypted RTCP compound (readable bytes); do not keep or release it. */
    void onRtcp(ByteBuf compound);
}
